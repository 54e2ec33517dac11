using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Interflow.Api.Tests.Webhooks;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Interflow.Api.Tests.Shutdown;

/// <summary>
/// A stop sent while queue work is in flight ends within seconds, leaves that work to be redelivered (never deleted,
/// never poisoned), and the next server completes it exactly once.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Stopping_the_pump_cancels_every_queues_handler_after_the_drain_and_each_message_is_handled_once_afterwards()
    {
        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings { RunQueueConsumers = false });
        var queues = server.Services.GetRequiredService<StorageQueues>();
        var names = InterflowTestServer.Handlers(server.Services).Keys.Order().ToArray();
        var started = names.ToDictionary(n => n, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var cancelled = new ConcurrentBag<string>();
        var blocking = names.ToDictionary(n => n, n => (QueueHandler)(async (_, cancellationToken) =>
        {
            started[n].TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.Add(n);
                throw;
            }
        }));
        foreach (var name in names)
        {
            await queues.Queue(name).SendMessageAsync($"work for {name}");
        }
        var pump = Pump(server, blocking);
        await pump.StartAsync(CancellationToken.None);
        await Task.WhenAll(started.Values.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(20));

        var watch = Stopwatch.StartNew();
        await pump.StopAsync(CancellationToken.None);
        watch.Stop();

        Assert.InRange(watch.Elapsed, Drain, StopBudget);
        Assert.Equal(names, cancelled.Order());
        var handled = new ConcurrentQueue<(string Queue, string Message)>();
        var recording = names.ToDictionary(n => n, n => (QueueHandler)((message, _) =>
        {
            handled.Enqueue((n, message));
            return Task.CompletedTask;
        }));
        var second = Pump(server, recording);
        await second.StartAsync(CancellationToken.None);
        // Released messages are visible at once: well before their 30 s visibility would have lapsed.
        await Eventually.MatchAsync(() => Task.FromResult(handled.Count), c => c >= names.Length, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await second.StopAsync(CancellationToken.None);
        Assert.Equal(names.Select(n => (n, $"work for {n}")), handled.OrderBy(h => h.Queue));
        foreach (var name in names)
        {
            Assert.Empty((await queues.Queue(name).PeekMessagesAsync(32)).Value);
            var poison = queues.Queue(name + "-poison");
            Assert.True(!await poison.ExistsAsync() || (await poison.PeekMessagesAsync(32)).Value.Length == 0, $"{name}: a message was poisoned");
        }
    }

    [Fact]
    public async Task A_handler_that_finishes_within_the_drain_completes_and_its_message_is_deleted()
    {
        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings { RunQueueConsumers = false });
        var queues = server.Services.GetRequiredService<StorageQueues>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = 0;
        var slow = new Dictionary<string, QueueHandler>
        {
            [QueueNames.Outbound] = async (_, _) =>
            {
                started.TrySetResult();
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
                Interlocked.Increment(ref finished);
            },
        };
        await queues.Queue(QueueNames.Outbound).SendMessageAsync("slow work");
        var pump = Pump(server, slow);
        await pump.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await pump.StopAsync(CancellationToken.None);

        Assert.Equal(1, finished);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Empty((await queues.Queue(QueueNames.Outbound).PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task A_send_whose_provider_call_is_in_flight_at_the_stop_is_sent_once_by_the_next_server()
    {
        var store = TempStore();
        var prefix = Prefix();
        var hanging = new ScriptedProviders(ProviderScript.Retryable, ProviderScript.Hang);
        string key;
        string messageId;
        TimeSpan stopped;
        await using (var first = await InterflowTestServer.StartAsync(Settings(store, prefix, hanging)))
        {
            key = (await InterflowServerFixture.CreateAccountAsync(first, Plan.Enterprise)).LiveKey;
            using var client = first.CreateClient(key);
            var channelId = (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox" })).Data.GetProperty("id").GetString();
            var sent = await client.PostApiAsync("v1/messages/send", new { channel_id = channelId, to = ApiCalls.UniquePhone(), type = "text", content = new { text = "Olá" } });
            Assert.Equal(HttpStatusCode.Accepted, sent.Status);
            messageId = sent.Data.GetProperty("id").GetString()!;
            await hanging.Hanging.WaitAsync(TimeSpan.FromSeconds(20));

            stopped = await StopAsync(first);
        }

        var counting = new ScriptedProviders();
        await using var second = await InterflowTestServer.StartAsync(Settings(store, prefix, counting));
        using var after = second.CreateClient(key);
        var message = await Eventually.MatchAsync(
            async () => (await after.GetApiAsync($"v1/messages/{messageId}")).Data,
            m => m.GetProperty("status").GetString() != "queued", TimeSpan.FromSeconds(30));

        Assert.InRange(stopped, TimeSpan.Zero, StopBudget);
        Assert.NotEqual("queued", message.GetProperty("status").GetString());
        Assert.NotEqual("failed", message.GetProperty("status").GetString());
        Assert.Equal([messageId], counting.Accepted);
    }

    [Fact]
    public async Task A_webhook_try_in_flight_at_the_stop_is_retried_by_the_next_server_and_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(WebhookReceiver.Hang);
        var store = TempStore();
        var prefix = Prefix();
        string key;
        TimeSpan stopped;
        await using (var first = await InterflowTestServer.StartAsync(WebhookSettings(store, prefix)))
        {
            key = (await InterflowServerFixture.CreateAccountAsync(first, Plan.Enterprise)).LiveKey;
            using var client = first.CreateClient(key);
            Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "customer.created" } })).Status);
            await client.CreateCustomerIdAsync();
            await Eventually.MatchAsync(() => Task.FromResult(receiver.Received.Count), c => c >= 1);
            Assert.Single(receiver.Received);

            stopped = await StopAsync(first);
        }

        receiver.Answer(200);
        await using var second = await InterflowTestServer.StartAsync(WebhookSettings(store, prefix));
        await Eventually.MatchAsync(() => Task.FromResult(receiver.Succeeded.Count()), c => c >= 1, TimeSpan.FromSeconds(40));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.InRange(stopped, TimeSpan.Zero, StopBudget);
        Assert.Single(receiver.Succeeded);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task A_bulk_job_cut_by_a_stop_is_resumed_by_the_next_server_and_no_recipient_is_sent_twice()
    {
        var store = TempStore();
        var prefix = Prefix();
        var firstProviders = new ScriptedProviders();
        string key;
        string jobId;
        TimeSpan stopped;
        var recipients = Enumerable.Range(0, 60).Select(_ => new { to = ApiCalls.UniquePhone() }).ToArray();
        await using (var first = await InterflowTestServer.StartAsync(Settings(store, prefix, firstProviders)))
        {
            key = (await InterflowServerFixture.CreateAccountAsync(first, Plan.Enterprise)).LiveKey;
            using var client = first.CreateClient(key);
            // 5 a second: the 60 take 12 s, so the stop (after 10, with a 1 s drain) lands mid-job even on a loaded machine.
            var channelId = (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox", messages_per_second = 5 })).Data.GetProperty("id").GetString();
            var job = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channelId, type = "text", content = new { text = "Oi" }, recipients });
            Assert.Equal(HttpStatusCode.Accepted, job.Status);
            jobId = job.Data.GetProperty("id").GetString()!;
            await Eventually.MatchAsync(() => Task.FromResult(firstProviders.Accepted.Count), c => c >= 10);

            stopped = await StopAsync(first);
        }

        var secondProviders = new ScriptedProviders();
        await using var second = await InterflowTestServer.StartAsync(Settings(store, prefix, secondProviders));
        using var after = second.CreateClient(key);
        var done = await Eventually.MatchAsync(
            async () => (await after.GetApiAsync($"v1/messages/bulk/{jobId}")).Data,
            j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(40));

        Assert.InRange(stopped, TimeSpan.Zero, StopBudget);
        Assert.InRange(firstProviders.Accepted.Count, 10, 59);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(60, done.GetProperty("sent").GetInt32());
        var all = firstProviders.AcceptedPhones.Concat(secondProviders.AcceptedPhones).ToArray();
        Assert.Equal(recipients.Select(r => r.to).Order(), all.Order());
    }

    private static QueuePump Pump(InterflowTestServer server, IReadOnlyDictionary<string, QueueHandler> handlers) => new(
        server.Services.GetRequiredService<StorageQueues>(), handlers, server.Services.GetRequiredService<EventRelay>(),
        NullLogger<QueuePump>.Instance, Drain);

    private static async Task<TimeSpan> StopAsync(InterflowTestServer server)
    {
        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();
        return watch.Elapsed;
    }

    private static string TempStore() => Path.Combine(Path.GetTempPath(), $"interflow-stop-{Guid.NewGuid():N}.db");

    private static string Prefix() => $"s{Guid.NewGuid():N}"[..12] + "-";

    private static TestServerSettings Settings(string store, string prefix, ScriptedProviders providers)
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.SqlitePath = store;
        settings.QueuePrefix = prefix;
        settings.DrainTimeout = Drain;
        settings.ConfigureServices = services => services.AddSingleton<IMessageProviders>(sp => providers.Around(new Infrastructure.Channels.MessageProviders(sp.GetRequiredService<Infrastructure.Channels.SandboxProvider>(), sp.GetRequiredService<Infrastructure.Channels.WhatsAppCloudProvider>())));
        return settings;
    }

    private static TestServerSettings WebhookSettings(string store, string prefix)
    {
        // A try outlasts the drain, so the stop cuts it short; its lease (2 x timeout + 5 s) bounds the wait after.
        var settings = WebhookDeliveryTests.LocalSettings();
        settings.Configuration["Interflow:Webhooks:Timeout"] = "00:00:03";
        settings.SqlitePath = store;
        settings.QueuePrefix = prefix;
        settings.DrainTimeout = Drain;
        return settings;
    }
}

public enum ProviderScript
{
    /// <summary>Answer "try again later" (unreachable).</summary>
    Retryable,

    /// <summary>Never answer: hang until the call is cancelled.</summary>
    Hang,
}

/// <summary>The real providers behind a script for the first calls, recording what each accepted.</summary>
public sealed class ScriptedProviders(params ProviderScript[] script)
{
    private readonly ConcurrentQueue<ProviderScript> next = new(script);
    private readonly TaskCompletionSource hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<(string Id, string Phone)> accepted = new();

    /// <summary>Completes when a scripted call starts hanging.</summary>
    public Task Hanging => hanging.Task;

    public IReadOnlyList<string> Accepted => [.. accepted.Select(a => a.Id)];

    public IReadOnlyList<string> AcceptedPhones => [.. accepted.Select(a => a.Phone)];

    public IMessageProviders Around(IMessageProviders inner) => new Providers(inner, this);

    private sealed class Providers(IMessageProviders inner, ScriptedProviders owner) : IMessageProviders
    {
        public IMessageProvider For(Channel channel) => new Provider(inner.For(channel), owner);
    }

    private sealed class Provider(IMessageProvider inner, ScriptedProviders owner) : IMessageProvider
    {
        public async Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken)
        {
            if (owner.next.TryDequeue(out var step))
            {
                if (step == ProviderScript.Retryable)
                {
                    return new ProviderResult.Retryable(new MessageError("UNREACHABLE", "scripted"));
                }
                owner.hanging.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var result = await inner.SendAsync(channel, message, cancellationToken);
            if (result is ProviderResult.Accepted)
            {
                owner.accepted.Enqueue((message.Id, message.Phone));
            }
            return result;
        }
    }
}
