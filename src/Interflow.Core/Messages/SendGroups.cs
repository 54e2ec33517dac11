using System.Collections.Concurrent;
using System.Diagnostics;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Telemetry;
using Interflow.Core.Validation;

namespace Interflow.Core.Messages;

/// <summary>How concurrent single sends are grouped into blocks (<see cref="SendGroups"/>).</summary>
public sealed class SendGroupOptions
{
    /// <summary>Sends in one block at most; 1 sends each request alone (<see cref="SendMessage.ExecuteAsync"/>).</summary>
    public int MaxBlock { get; set; } = 100;

    /// <summary>
    /// How long a group that just sent a block of several waits for the next sends of its callers before it sends
    /// the next block (it stops waiting once they are all back, with any that came meanwhile). A send that arrives
    /// when its group is idle, or follows a block of one, waits for nothing.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(5);
}

/// <summary>
/// Group commit of <c>POST /messages/send</c>: concurrent sends of one tenant and channel on this instance go to the
/// store and the provider as one block, by the path a bulk block takes (<see cref="SendMessage.ExecuteManyAsync"/>:
/// one customers lookup, one open-chats lookup, one write creating what is missing with the messages, provider
/// calls side by side, one write of the outcomes, one relay), behind one safety-check queue message naming every
/// message of the block. A group sends one block at a time; the sends that arrive meanwhile form the next one, so a
/// lone send is never held back, and under load a block holds the callers that are waiting. Each caller gets its
/// own message; a failure of the block is each of its callers' failure, and a message whose block died after its
/// safety check was enqueued is attempted by that check, as a single send's is.
/// </summary>
public sealed class SendGroups(IChannelStore channels, SendMessage sender, SendGroupOptions options)
{
    private readonly ConcurrentDictionary<(string Tenant, string Channel), Group> groups = new();

    public async Task<Message> SendAsync(Tenant tenant, OutgoingMessage request, CancellationToken cancellationToken)
    {
        // A send into a chat the caller names checks that chat first, so it takes the one-by-one path.
        if (options.MaxBlock <= 1 || request.ChatId is not null)
        {
            return await sender.ExecuteAsync(tenant, request, cancellationToken);
        }
        var channel = await channels.GetAsync(tenant, request.ChannelId, cancellationToken)
            ?? throw new ValidationException(new FieldError("channel_id", FieldProblem.NotFound));
        var send = new PendingSend(Ids.New("msg"), request);
        var key = (tenant.Key, channel.Id);
        while (true)
        {
            var group = groups.GetOrAdd(key, _ => new Group());
            bool lead;
            lock (group)
            {
                if (group.Closed)
                {
                    continue; // It went idle and left the table just now: the next one takes this send.
                }
                group.Waiting.Enqueue(send);
                if (group.Waiting.Count >= group.Expected)
                {
                    group.Gathered?.TrySetResult();
                }
                lead = !group.Draining;
                group.Draining = true;
            }
            if (lead)
            {
                _ = Task.Run(() => DrainAsync(key, group, tenant, channel), CancellationToken.None);
            }
            break;
        }
        // The block runs to its end whatever this caller does: its messages exist and are sent either way.
        return await send.Outcome.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync((string, string) key, Group group, Tenant tenant, Channel channel)
    {
        // The drain serves many callers: its blocks are in no caller's trace by inheritance (SendBlockAsync picks).
        Activity.Current = null;
        var last = 0;
        while (true)
        {
            if (last > 1 && options.Window > TimeSpan.Zero)
            {
                // The callers of a block of several send again as soon as they have their answers: wait until they
                // are back, with those that came meanwhile, or the window ends.
                Task gathered;
                lock (group)
                {
                    group.Expected = Math.Min(last + group.Waiting.Count, options.MaxBlock);
                    group.Gathered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    gathered = group.Waiting.Count >= group.Expected ? Task.CompletedTask : group.Gathered.Task;
                }
                await Task.WhenAny(gathered, Task.Delay(options.Window));
            }
            PendingSend[] block;
            lock (group)
            {
                if (group.Waiting.Count == 0)
                {
                    group.Closed = true;
                    groups.TryRemove(new KeyValuePair<(string, string), Group>(key, group));
                    return;
                }
                group.Gathered = null;
                block = new PendingSend[Math.Min(group.Waiting.Count, options.MaxBlock)];
                for (var i = 0; i < block.Length; i++)
                {
                    block[i] = group.Waiting.Dequeue();
                }
            }
            last = block.Length;
            await SendBlockAsync(tenant, channel, block);
        }
    }

    /// <summary>
    /// Sends a block in a span of its own. A block of one send is part of its request's trace, which then shows the send
    /// end to end. A block of several serves several traces: it starts a trace of its own, linked to each caller's
    /// request and each request linked back to it, so that either is found from the other.
    /// </summary>
    private async Task SendBlockAsync(Tenant tenant, Channel channel, PendingSend[] block)
    {
        using var activity = block.Length == 1
            ? InterflowTelemetry.Source.StartActivity("send block", ActivityKind.Internal, block[0].Caller)
            : InterflowTelemetry.Source.StartActivity("send block", ActivityKind.Internal, default(ActivityContext),
                links: [.. block.Where(s => s.Caller != default).Select(s => new ActivityLink(s.Caller))]);
        if (activity is not null)
        {
            activity.SetTag(InterflowTelemetry.Tags.Tenant, tenant.Key).SetTag(InterflowTelemetry.Tags.Count, block.Length);
            if (block.Length > 1)
            {
                foreach (var send in block)
                {
                    send.CallerActivity?.AddLink(new ActivityLink(activity.Context));
                }
            }
        }
        try
        {
            var sends = block.Select(s => (s.MessageId, s.Request)).ToArray();
            var sent = (await sender.ExecuteManyAsync(tenant, channel, sends, CancellationToken.None, safetyCheck: true)).ToDictionary(m => m.Id);
            foreach (var send in block)
            {
                send.Outcome.TrySetResult(sent[send.MessageId]);
            }
        }
        catch (Exception exception)
        {
            foreach (var send in block)
            {
                send.Outcome.TrySetException(exception);
            }
        }
    }

    private sealed record PendingSend(string MessageId, OutgoingMessage Request)
    {
        /// <summary>The caller's request span, to link its block to.</summary>
        public Activity? CallerActivity { get; } = Activity.Current;

        public ActivityContext Caller => CallerActivity?.Context ?? default;

        public TaskCompletionSource<Message> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Group
    {
        public Queue<PendingSend> Waiting { get; } = new();

        public bool Draining { get; set; }

        /// <summary>While the drainer waits for a block's callers: how many it waits for, and its signal.</summary>
        public int Expected { get; set; } = int.MaxValue;

        public TaskCompletionSource? Gathered { get; set; }

        /// <summary>Out of the table: a send that still found it goes to a new group.</summary>
        public bool Closed { get; set; }
    }
}
