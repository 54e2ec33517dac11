using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Interflow.Api.Tests.Webhooks;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Channels;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Infrastructure.Channels;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Bulk;

/// <summary>
/// A job is completed only once every recipient is sent (or later), failed or cancelled, and its counts then equal
/// a recount of its stored messages; its status reports and webhook fan-outs travel in batches, not per recipient.
/// </summary>
public sealed class TruthfulBulkTests : IAsyncLifetime
{
    private InterflowTestServer server = null!;
    private FlakyProviders providers = null!;
    private WebhookReceiver receiver = null!;
    private HttpClient client = null!;
    private TestAccount account = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        var settings = WebhookDeliveryTests.LocalSettings();
        settings.Configuration["Interflow:Outbound:MaxAttempts"] = "3";
        // The production timeout: a busy machine must not turn a slow first try into a retry (this is not a timeout test).
        settings.Configuration["Interflow:Webhooks:Timeout"] = "00:00:10";
        settings.ConfigureServices = services => services.AddSingleton<IMessageProviders>(sp =>
            providers = new FlakyProviders(new MessageProviders(sp.GetRequiredService<SandboxProvider>(), sp.GetRequiredService<WhatsAppCloudProvider>())));
        server = await InterflowTestServer.StartAsync(settings);
        // An account per test: one test's webhook must not receive the other's events.
        account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        client = server.CreateClient(account.LiveKey);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
        await receiver.DisposeAsync();
    }

    private async Task<string> ChannelAsync() =>
        (await client.PostApiAsync("v1/channels", new { name = "Bulk", kind = "sandbox", messages_per_second = 1000 })).Data.GetProperty("id").GetString()!;

    private async Task<JsonElement> CompletedAsync(string jobId) =>
        await Eventually.MatchAsync(async () => (await client.GetApiAsync($"v1/messages/bulk/{jobId}")).Data,
            job => job.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(90));

    [Fact]
    public async Task A_job_with_transient_provider_failures_completes_after_its_last_recipient_settles_with_counts_equal_to_a_recount()
    {
        var channel = await ChannelAsync();
        // Every 7th number fails twice, then goes through; every 50th never does (3 attempts); every 11th is refused at once.
        var numbers = Enumerable.Range(0, 400).Select(i => $"55119{7 + i % 2}{i:D3}{(i % 11 == 5 ? "0000" : "0001")}").ToArray();
        providers.FailFirst = numbers.Where((_, i) => i % 7 == 3).ToHashSet();
        providers.FailAlways = numbers.Where((_, i) => i % 50 == 49).ToHashSet();
        var observed = new ConcurrentBag<JsonElement>();

        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "Oi" }, recipients = numbers.Select(n => new { to = n }) });
        var jobId = submitted.Data.GetProperty("id").GetString()!;
        var job = await Eventually.MatchAsync(async () =>
        {
            var current = (await client.GetApiAsync($"v1/messages/bulk/{jobId}")).Data;
            observed.Add(current);
            return current;
        }, j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(90));
        var messages = await BulkRecount.MessagesAsync(client, jobId, numbers.Length);

        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.All(observed.Where(j => j.GetProperty("status").GetString() == "completed"), j => Assert.Equal(0, j.GetProperty("queued").GetInt32()));
        var recount = BulkRecount.Count(messages);
        Assert.Equal(recount, BulkRecount.Counts(job));
        var refused = numbers.Count(n => n.EndsWith("0000", StringComparison.Ordinal));
        var exhausted = providers.FailAlways.Count(n => !n.EndsWith("0000", StringComparison.Ordinal));
        Assert.Equal((numbers.Length - refused - exhausted, refused + exhausted, 0, 0), recount);
        Assert.All(providers.FailFirst.Where(n => !providers.FailAlways.Contains(n) && !n.EndsWith("0000", StringComparison.Ordinal)),
            n => Assert.Equal(1, providers.Accepted.Count(a => a == n)));
        Assert.Equal(providers.Accepted.Count, providers.Accepted.Distinct().Count());

        var completions = (await server.Services.GetRequiredService<IEventLog>().ListAsync(new Tenant(account.Id, ApiEnvironment.Live), 100_000, default))
            .Where(e => e.Type == EventTypes.BulkCompleted && e.Data.GetProperty("id").GetString() == jobId).ToArray();
        var completed = Assert.Single(completions);
        var lastSettled = messages.Select(m => m!.Value).Select(m => m.GetProperty(m.GetProperty("status").GetString() == "failed" ? "failed_at" : "sent_at").GetDateTimeOffset()).Max();
        Assert.True(completed.CreatedAt >= lastSettled, $"bulk.completed at {completed.CreatedAt:O}, before the last recipient settled at {lastSettled:O}");
    }

    [Fact]
    public async Task Status_reports_and_webhook_fan_outs_travel_in_batches_and_every_event_is_delivered_once()
    {
        const int Recipients = 300;
        var channel = await ChannelAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "*" } })).Status);
        var queues = server.Services.GetRequiredService<StorageQueues>();
        var before = QueueNames.All.ToDictionary(q => q, q => queues.MessagesSent(q));
        var numbers = Enumerable.Range(0, Recipients).Select(i => $"55219{6 + i % 3}{i:D3}{i + 2000:D4}").ToArray();

        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "Oi" }, recipients = numbers.Select(n => new { to = n }) });
        var jobId = submitted.Data.GetProperty("id").GetString()!;
        await CompletedAsync(jobId);
        // Quiescent: every recipient read, and every event of the job delivered (5 per recipient and bulk.completed).
        var received = await Eventually.MatchAsync(() => Task.FromResult(receiver.Succeeded.ToArray()), r => r.Length >= 5 * Recipients + 1, TimeSpan.FromSeconds(60));
        var messages = await BulkRecount.MessagesAsync(client, jobId, Recipients);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.All(messages, m => Assert.Equal("read", m!.Value.GetProperty("status").GetString()));
        Assert.Equal(5 * Recipients + 1, receiver.Received.Count);
        Assert.Equal(receiver.Received.Count, receiver.Received.Select(r => r.Id).Distinct().Count());
        var types = received.GroupBy(r => r.Json.GetProperty("type").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["customer.created"] = Recipients, ["chat.created"] = Recipients, ["message.sent"] = Recipients,
            ["message.delivered"] = Recipients, ["message.read"] = Recipients, ["bulk.completed"] = 1,
        }, types);
        var sent = QueueNames.All.ToDictionary(q => q, q => queues.MessagesSent(q) - before[q]);
        // Per 100-recipient chunk: its queue message, two report batches (delivered, read), and a fan-out per relay.
        Assert.InRange(sent[QueueNames.ProviderStatuses], 2, 2 * Recipients / BulkSends.ChunkSize + 2);
        Assert.InRange(sent[QueueNames.WebhookEvents], 1, 6 * Recipients / BulkSends.ChunkSize + 2);
        Assert.Equal(0, sent[QueueNames.WebhookDeliveries]);
        Assert.Equal(0, sent[QueueNames.Outbound]);
        Assert.True(sent.Values.Sum() <= Recipients / 10, $"{sent.Values.Sum()} queue messages for {Recipients} recipients: {string.Join(", ", sent.Where(s => s.Value > 0))}");
    }
}

/// <summary>The real providers behind scripted transient failures: chosen numbers fail their first two attempts, or every attempt, as "try again later".</summary>
public sealed class FlakyProviders(IMessageProviders inner) : IMessageProviders
{
    private readonly ConcurrentDictionary<string, int> attempts = new();

    public IReadOnlySet<string> FailFirst { get; set; } = new HashSet<string>();

    public IReadOnlySet<string> FailAlways { get; set; } = new HashSet<string>();

    /// <summary>The numbers the provider accepted a message for, once per acceptance.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    public IMessageProvider For(Channel channel) => new Flaky(inner.For(channel), this);

    private sealed class Flaky(IMessageProvider provider, FlakyProviders owner) : IMessageProvider
    {
        public async Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken)
        {
            var attempt = owner.attempts.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
            if (owner.FailAlways.Contains(message.Phone) || (owner.FailFirst.Contains(message.Phone) && attempt <= 2))
            {
                return new ProviderResult.Retryable(new MessageError("UNREACHABLE", "scripted transient failure"));
            }
            var result = await provider.SendAsync(channel, message, cancellationToken);
            if (result is ProviderResult.Accepted)
            {
                owner.Accepted.Enqueue(message.Phone);
            }
            return result;
        }
    }
}
