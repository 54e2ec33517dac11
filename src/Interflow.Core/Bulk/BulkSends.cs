using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Core.Telemetry;
using Interflow.Core.Validation;

namespace Interflow.Core.Bulk;

/// <summary>
/// Bulk sends: the job and its chunks are stored first; the orchestration enqueues one queue message per chunk and
/// refreshes progress until every chunk is settled; each chunk sends its recipients in paced blocks, a block with
/// the store work of one batch. Every recipient's message id derives from the job and its position, so a chunk
/// handled twice (a redelivered queue message, two consumers) sends nothing twice.
/// </summary>
public sealed class BulkSends(
    IBulkStore store,
    IBulkQueue queue,
    IBulkOrchestrator orchestrator,
    IChannelStore channels,
    IMessageStore messages,
    SendMessage sender,
    OutboundDelivery delivery,
    ChannelPacer pacer,
    EventFactory events,
    EventRelay relay,
    BulkOptions options,
    TimeProvider clock)
{
    public const string Kind = "bulk";
    public const int ChunkSize = 100;
    public const int MaxRecipients = 10_000;

    // An open chunk looks at its queued messages again: after their hold, within these bounds.
    private static readonly TimeSpan QueuedLookAgain = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinLookAgain = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLookAgain = TimeSpan.FromMinutes(5);

    public async Task<BulkJob> SubmitAsync(Tenant tenant, string channelId, IReadOnlyList<BulkRecipient> recipients, CancellationToken cancellationToken)
    {
        _ = await channels.GetAsync(tenant, channelId, cancellationToken)
            ?? throw new ValidationException(new FieldError("channel_id", FieldProblem.NotFound));
        var now = clock.GetUtcNow();
        var id = Ids.New("bulk");
        var chunks = recipients.Chunk(ChunkSize).Select((part, index) => new BulkChunk(id, index, part, false, 0, 0, 0)).ToArray();
        var job = new BulkJob(id, tenant, channelId, BulkStatus.Queued, recipients.Count, 0, 0, 0, chunks.Length, false, now, now, null, []);
        job = await store.CreateAsync(job, chunks, cancellationToken);
        await orchestrator.StartAsync(Reference(job) with { TraceParent = InterflowTelemetry.CurrentTraceParent() }, cancellationToken);
        return job;
    }

    /// <summary>
    /// The orchestration's first step: every chunk onto the queue, then the job to processing. Repeatable: a job past
    /// queued had all its chunks enqueued (the status moves only after), so a rerun (continue-as-new, an activity
    /// retried after a crash) enqueues them again only if that may not have happened.
    /// </summary>
    public async Task EnqueueChunksAsync(BulkJobRef reference, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(reference.Tenant, reference.JobId, cancellationToken) ?? throw new NotFoundException();
        if (job.Status != BulkStatus.Queued)
        {
            return;
        }
        using var activity = StartJobActivity("bulk enqueue chunks", reference);
        activity?.SetTag(InterflowTelemetry.Tags.Count, job.Chunks);
        // Side by side: a 10,000-recipient job's 100 enqueues one after another would hold its first sends back.
        await Parallel.ForEachAsync(Enumerable.Range(0, job.Chunks), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (index, token) => await queue.EnqueueAsync(new BulkChunkWork(reference.AccountId, reference.Environment, job.Id, index), TimeSpan.Zero, token));
        try
        {
            await store.ReplaceAsync(job with { Status = BulkStatus.Processing, UpdatedAt = clock.GetUtcNow() }, job.ETag, cancellationToken);
        }
        catch (VersionMismatchException)
        {
            // A cancel or a refresh got there first: its write keeps the status queued, and the next rerun enqueues again.
        }
    }

    /// <summary>
    /// The bulk queue's handler: sends a chunk's recipients that have no message yet, a block at a time (as many as
    /// the channel's pacing grants, a cancel checked before each block), each block with the store work of one
    /// batch (<see cref="SendMessage.ExecuteManyAsync"/>). The chunk then records its counts from its messages: it
    /// is done only when each recipient is sent (or later), failed or cancelled; while a message waits for a retry,
    /// the chunk stays open and looks again later, so its final counts always equal a recount of its messages.
    /// </summary>
    public async Task ProcessChunkAsync(BulkChunkWork work, CancellationToken cancellationToken)
    {
        var chunk = await store.GetChunkAsync(work.Tenant, work.JobId, work.Index, cancellationToken);
        var job = await store.GetAsync(work.Tenant, work.JobId, cancellationToken);
        if (chunk is null || job is null || chunk.Done)
        {
            return;
        }
        using var activity = InterflowTelemetry.Source.StartActivity("bulk chunk");
        activity?.SetTag(InterflowTelemetry.Tags.Tenant, job.Tenant.Key).SetTag(InterflowTelemetry.Tags.BulkId, job.Id).SetTag(InterflowTelemetry.Tags.Chunk, chunk.Index);
        var channel = await channels.GetAsync(job.Tenant, job.ChannelId, cancellationToken);
        var (ids, stored) = await MessagesOfAsync(job, chunk, cancellationToken);
        foreach (var held in stored.Values.Where(m => m is { Status: MessageStatus.Queued, Attempts: 0 }).ToArray())
        {
            // Created by an earlier run of this chunk that died before its first attempt: this chunk is its only
            // safety net. Attempted once its hold has ended; until then it counts as queued and the chunk looks again.
            if (held.LeaseUntil is not { } until || until <= clock.GetUtcNow())
            {
                await delivery.HandleAsync(OutboundWork.For(held), cancellationToken);
                stored[held.Id] = await messages.GetAsync(job.Tenant, held.Id, cancellationToken) ?? held;
            }
        }
        var unsent = Enumerable.Range(0, ids.Length).Where(i => !stored.ContainsKey(ids[i])).ToArray();
        for (var next = 0; next < unsent.Length && channel is not null;)
        {
            if (next > 0)
            {
                job = await store.GetAsync(work.Tenant, work.JobId, cancellationToken) ?? job;
            }
            if (job.CancelRequested)
            {
                break;
            }
            var granted = await pacer.TakeAsync(channel, unsent.Length - next, cancellationToken);
            var block = unsent[next..(next + granted)].Select(i => Outgoing(job, chunk, ids, i)).ToArray();
            using var blockActivity = InterflowTelemetry.Source.StartActivity("bulk block");
            blockActivity?.SetTag(InterflowTelemetry.Tags.BulkId, job.Id).SetTag(InterflowTelemetry.Tags.Chunk, chunk.Index).SetTag(InterflowTelemetry.Tags.Count, block.Length);
            foreach (var message in await sender.ExecuteManyAsync(job.Tenant, channel, block, cancellationToken))
            {
                stored[message.Id] = message;
            }
            next += granted;
        }
        await SettleAsync(work, chunk, ids, stored, cancellationToken);
    }

    /// <summary>
    /// The final answer for a chunk whose queue message was given up on, after its later passes: each recipient without a
    /// message gets one, failed with <paramref name="reason"/> and never sent (cancelled instead, once the job is);
    /// each message still queued is failed as abandoned; the chunk is then done, its counts those of its messages.
    /// </summary>
    public async Task AbandonChunkAsync(BulkChunkWork work, string reason, CancellationToken cancellationToken)
    {
        var chunk = await store.GetChunkAsync(work.Tenant, work.JobId, work.Index, cancellationToken);
        var job = await store.GetAsync(work.Tenant, work.JobId, cancellationToken);
        if (chunk is null || job is null || chunk.Done)
        {
            return;
        }
        var (ids, stored) = await MessagesOfAsync(job, chunk, cancellationToken);
        var queued = stored.Values.Where(m => m.Status == MessageStatus.Queued).ToArray();
        foreach (var message in await delivery.RefuseManyAsync(queued, OutboundDelivery.Abandoned, cancellationToken))
        {
            stored[message.Id] = message;
        }
        var channel = await channels.GetAsync(job.Tenant, job.ChannelId, cancellationToken);
        var unsent = Enumerable.Range(0, ids.Length).Where(i => !stored.ContainsKey(ids[i])).ToArray();
        if (unsent.Length > 0 && channel is not null && !job.CancelRequested)
        {
            var refused = unsent.Select(i => Outgoing(job, chunk, ids, i)).ToArray();
            foreach (var message in await sender.ExecuteManyAsync(job.Tenant, channel, refused, cancellationToken, new MessageError("BULK_CHUNK_ABANDONED", reason)))
            {
                stored[message.Id] = message;
            }
        }
        await SettleAsync(work, chunk, ids, stored, cancellationToken);
    }

    /// <summary>
    /// The final answer for a job whose coordination could not be started, after its later passes: a job still queued
    /// has had none of its recipients handed to the provider, so it is settled cancelled (with <c>bulk.completed</c>).
    /// A job past queued has its coordination running, and the message that would have started it is not needed.
    /// </summary>
    public async Task AbandonJobAsync(BulkJobRef reference, CancellationToken cancellationToken)
    {
        var job = await CancelAsync(reference.Tenant, reference.JobId, cancellationToken);
        if (job.Status != BulkStatus.Queued)
        {
            return;
        }
        for (var index = 0; index < job.Chunks; index++)
        {
            if (await store.GetChunkAsync(reference.Tenant, job.Id, index, cancellationToken) is { Done: false } chunk)
            {
                // Counted by what exists: a chunk enqueued before the start failed may have sent some.
                var (ids, stored) = await MessagesOfAsync(job, chunk, cancellationToken);
                await SettleAsync(new BulkChunkWork(reference.AccountId, reference.Environment, job.Id, index), chunk, ids, stored, cancellationToken);
            }
        }
        await RefreshAsync(reference, cancellationToken);
    }

    /// <summary>The chunk's message ids (by position) and the messages that exist for them, in one read.</summary>
    private async Task<(string[] Ids, Dictionary<string, Message> Stored)> MessagesOfAsync(BulkJob job, BulkChunk chunk, CancellationToken cancellationToken)
    {
        var ids = chunk.Recipients.Select((_, i) => MessageId(job.Id, chunk.Index, i)).ToArray();
        return (ids, (await messages.GetManyAsync(job.Tenant, ids, cancellationToken)).ToDictionary(m => m.Id));
    }

    /// <summary>The recipient at <paramref name="i"/> as a message to send, with its derived id.</summary>
    private static (string Id, OutgoingMessage Message) Outgoing(BulkJob job, BulkChunk chunk, string[] ids, int i)
    {
        var recipient = chunk.Recipients[i];
        return (ids[i], new OutgoingMessage(job.ChannelId, recipient.To, recipient.Type, recipient.Content, null, null));
    }

    /// <summary>Counts the chunk's recipients by their messages (none: cancelled) and records it; an open chunk looks again once its queued messages may have moved.</summary>
    private async Task SettleAsync(BulkChunkWork work, BulkChunk chunk, string[] ids, Dictionary<string, Message> stored, CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0, cancelled = 0;
        DateTimeOffset? lookAgain = null;
        var now = clock.GetUtcNow();
        foreach (var id in ids)
        {
            if (!stored.TryGetValue(id, out var message))
            {
                cancelled++;
                continue;
            }
            switch (message.Status)
            {
                case MessageStatus.Failed:
                    failed++;
                    break;
                case MessageStatus.Queued:
                    var when = message.LeaseUntil is { } until && until > now ? until : now + QueuedLookAgain;
                    lookAgain = lookAgain is { } soonest && soonest < when ? soonest : when;
                    break;
                default:
                    sent++;
                    break;
            }
        }
        var settled = chunk with { Done = lookAgain is null, Sent = sent, Failed = failed, Cancelled = cancelled };
        if (settled != chunk)
        {
            try
            {
                await store.ReplaceChunkAsync(work.Tenant, settled, chunk.ETag, cancellationToken);
                if (settled.Done)
                {
                    CountRecipients(settled);
                }
            }
            catch (VersionMismatchException)
            {
                // Settled by a concurrent run of the same chunk, which counted the same messages.
            }
        }
        if (lookAgain is { } at)
        {
            var wait = at - now;
            await queue.EnqueueAsync(work, wait < MinLookAgain ? MinLookAgain : wait > MaxLookAgain ? MaxLookAgain : wait, cancellationToken);
        }
    }

    /// <summary>The orchestration's loop step: sums the chunks into the job; settles it (once) when all are done.</summary>
    /// <returns>True once the job is completed or cancelled.</returns>
    public async Task<bool> RefreshAsync(BulkJobRef reference, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var job = await store.GetAsync(reference.Tenant, reference.JobId, cancellationToken) ?? throw new NotFoundException();
            if (job.Status is BulkStatus.Completed or BulkStatus.Cancelled)
            {
                return true;
            }
            var chunks = await store.ListChunkCountsAsync(reference.Tenant, reference.JobId, cancellationToken);
            var now = clock.GetUtcNow();
            var updated = job with
            {
                // Refreshes run after the chunks were enqueued, so a job still shown queued is processing by now.
                Status = BulkStatus.Processing,
                Sent = chunks.Sum(c => c.Sent),
                Failed = chunks.Sum(c => c.Failed),
                Cancelled = chunks.Sum(c => c.Cancelled),
                UpdatedAt = now,
            };
            var done = chunks.Count == job.Chunks && chunks.All(c => c.Done);
            if (updated.Sent != job.Sent || updated.Failed != job.Failed || updated.Cancelled != job.Cancelled || job.ProgressAt is null)
            {
                updated = updated with { ProgressAt = now };
            }
            else if (!done && now - job.ProgressAt >= options.StallAfter)
            {
                // Chunks are idempotent (message ids derive from the job and position): a second message is harmless.
                var settled = chunks.Where(c => c.Done).Select(c => c.Index).ToHashSet();
                using var activity = StartJobActivity("bulk enqueue stalled chunks", reference);
                foreach (var index in Enumerable.Range(0, job.Chunks).Where(i => !settled.Contains(i)))
                {
                    await queue.EnqueueAsync(new BulkChunkWork(reference.AccountId, reference.Environment, job.Id, index), TimeSpan.Zero, cancellationToken);
                }
                updated = updated with { ProgressAt = now };
            }
            if (done)
            {
                updated = updated with { Status = job.CancelRequested ? BulkStatus.Cancelled : BulkStatus.Completed, CompletedAt = now };
                updated = updated with { Outbox = [.. job.Outbox, events.Create(EventTypes.BulkCompleted, job.Id, updated, now)] };
            }
            try
            {
                var saved = await store.ReplaceAsync(updated, job.ETag, cancellationToken);
                await relay.TryRelayAsync(new OutboxEntry(Kind, saved.Tenant, saved.Id, saved.ETag, saved.Outbox), cancellationToken);
                return done;
            }
            catch (VersionMismatchException) when (attempt < 10)
            {
            }
        }
    }

    /// <summary>Stops what is not yet handed to the provider; what was sent stays sent.</summary>
    public async Task<BulkJob> CancelAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var job = await store.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
            if (job.CancelRequested || job.Status is BulkStatus.Completed or BulkStatus.Cancelled)
            {
                return job;
            }
            try
            {
                return await store.ReplaceAsync(job with { CancelRequested = true, UpdatedAt = clock.GetUtcNow() }, job.ETag, cancellationToken);
            }
            catch (VersionMismatchException) when (attempt < 10)
            {
            }
        }
    }

    public static string MessageId(string jobId, int chunk, int index) =>
        "msg_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{jobId}|{chunk}|{index}")))[..24];

    /// <summary>A step of the job's coordination, in the trace of the request that submitted it.</summary>
    private static System.Diagnostics.Activity? StartJobActivity(string name, BulkJobRef reference) =>
        InterflowTelemetry.Source.StartActivity(name, System.Diagnostics.ActivityKind.Internal, InterflowTelemetry.ParentOf(reference.TraceParent))
            ?.SetTag(InterflowTelemetry.Tags.Tenant, reference.Tenant.Key).SetTag(InterflowTelemetry.Tags.BulkId, reference.JobId);

    /// <summary><c>interflow.bulk.recipients</c>, once per chunk: by the run whose write settled it.</summary>
    private static void CountRecipients(BulkChunk chunk)
    {
        foreach (var (outcome, count) in new[] { ("sent", chunk.Sent), ("failed", chunk.Failed), ("cancelled", chunk.Cancelled) })
        {
            if (count > 0)
            {
                InterflowTelemetry.BulkRecipients.Add(count, new KeyValuePair<string, object?>(InterflowTelemetry.Tags.Outcome, outcome));
            }
        }
    }

    private static BulkJobRef Reference(BulkJob job) => new(job.Tenant.AccountId, job.Tenant.Environment.ToName(), job.Id);
}
