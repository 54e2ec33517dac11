using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Webhooks;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Webhooks;

/// <summary>
/// A receiver that is down costs its own tenant a probe, not a queue message and a retry per event: its deliveries wait
/// in the store, the oldest probes it on its own schedule, and what waited is delivered once it answers.
/// </summary>
public sealed class DeadReceiverTests : IAsyncLifetime
{
    // One second per retry (after the first wait): long enough to see deliveries wait, short enough to reach the end of a short schedule.
    private static string Schedule(int retries, int firstSeconds = 1) =>
        string.Join(',', [TimeSpan.FromSeconds(firstSeconds).ToString(), .. Enumerable.Repeat("00:00:01", retries - 1)]);

    private WebhookReceiver receiver = null!;
    private InterflowTestServer? server;
    private StorageQueues queues = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        await receiver.DisposeAsync();
    }

    private async Task StartAsync(int retries, int firstSeconds = 1)
    {
        server = await InterflowTestServer.StartAsync(WebhookDeliveryTests.LocalSettings(Schedule(retries, firstSeconds)));
        queues = server.Services.GetRequiredService<StorageQueues>();
    }

    private async Task<(HttpClient Client, string Id)> SubscribeAsync()
    {
        var account = await InterflowServerFixture.CreateAccountAsync(server!, Plan.Enterprise);
        var client = server!.CreateClient(account.LiveKey);
        var created = await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "customer.created" } });
        return (client, created.Data.GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement[]> DeliveriesAsync(HttpClient client, string webhookId) =>
        [.. (await client.GetApiAsync($"v1/webhooks/{webhookId}/deliveries?per_page=100")).Data.EnumerateArray()];

    [Fact]
    public async Task While_the_receiver_is_down_its_deliveries_wait_and_once_it_answers_each_arrives_once_oldest_first()
    {
        // No probe before the 28 are stored (8 s), and a schedule long enough (37 s) that the receiver is back before its end.
        await StartAsync(retries: 30, firstSeconds: 8);
        receiver.Answer(503);
        var (client, webhookId) = await SubscribeAsync();
        var customers = new List<string> { await client.CreateCustomerIdAsync(), await client.CreateCustomerIdAsync() };
        // Two tries in a row that found it down, and it is down: each later event waits untried for the probe.
        var first = await Eventually.MatchAsync(() => DeliveriesAsync(client, webhookId), d => d.Length == 2 && d.All(x => x.GetProperty("attempts").GetArrayLength() > 0));
        var firstIds = first.Select(d => d.GetProperty("id").GetString()).ToHashSet();
        var attemptsBefore = queues.MessagesSent(QueueNames.WebhookDeliveries);
        var probesBefore = queues.MessagesSent(QueueNames.WebhookProbes);
        for (var i = 0; i < 28; i++)
        {
            customers.Add(await client.CreateCustomerIdAsync());
        }

        var waiting = await Eventually.MatchAsync(() => DeliveriesAsync(client, webhookId), d => d.Length == 30);
        Assert.Equal(30, waiting.Length);
        Assert.All(waiting, d => Assert.Equal("pending", d.GetProperty("status").GetString()));
        var untried = waiting.Where(d => !firstIds.Contains(d.GetProperty("id").GetString())).ToArray();
        Assert.Equal(28, untried.Length);
        Assert.All(untried, d => Assert.Equal(0, d.GetProperty("attempts").GetArrayLength()));
        // Told when that is: the endpoint's probe, the same for all.
        Assert.Single(untried.Select(d => d.GetProperty("next_attempt_at").GetDateTimeOffset()).Distinct());
        Assert.InRange(untried[0].GetProperty("next_attempt_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(9));
        // Not one attempt message per event: none at all for the 28.
        Assert.Equal(0, queues.MessagesSent(QueueNames.WebhookDeliveries) - attemptsBefore);

        // Back after the first probe has found it down still, and every early delivery waits for the next one.
        await Eventually.MatchAsync(() => DeliveriesAsync(client, webhookId), d => d.Sum(x => x.GetProperty("attempts").GetArrayLength()) > 2, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        receiver.Answer(200);
        var delivered = await Eventually.MatchAsync(() => DeliveriesAsync(client, webhookId), d => d.All(x => x.GetProperty("status").GetString() == "succeeded"), TimeSpan.FromSeconds(30));

        Assert.All(delivered, d => Assert.Equal("succeeded", d.GetProperty("status").GetString()));
        var succeeded = receiver.Succeeded.Select(r => r.Json.GetProperty("data").GetProperty("id").GetString()!).ToList();
        Assert.Equal(customers.Order(), succeeded.Order());
        // The oldest waiting goes first (the first two events were fanned out side by side: either may be older).
        Assert.Contains(succeeded[0], customers[..2]);
        // The dead time cost a handful of probe messages, not one per event.
        Assert.InRange(queues.MessagesSent(QueueNames.WebhookProbes) - probesBefore, 1, 12);
        // The log stays truthful: the oldest shows its failed tries, then the one that succeeded.
        var oldestEvent = receiver.Succeeded.First().Json.GetProperty("id").GetString();
        var oldest = delivered.Single(d => d.GetProperty("event_id").GetString() == oldestEvent);
        Assert.True(oldest.GetProperty("attempts").GetArrayLength() > 1);
        Assert.Equal(200, oldest.GetProperty("attempts").EnumerateArray().Last().GetProperty("status_code").GetInt32());
        Assert.True(oldest.GetProperty("attempts").EnumerateArray().SkipLast(1).All(a => a.GetProperty("status_code").GetInt32() == 503));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_disabled_after_the_schedule_and_what_waited_is_failed_saying_why()
    {
        await StartAsync(retries: 7);
        receiver.Answer(503);
        var (client, webhookId) = await SubscribeAsync();
        for (var i = 0; i < 10; i++)
        {
            await client.CreateCustomerIdAsync();
        }

        var settled = await Eventually.MatchAsync(() => DeliveriesAsync(client, webhookId), d => d.Length == 10 && d.All(x => x.GetProperty("status").GetString() == "failed"), TimeSpan.FromSeconds(40));
        var endpoint = (await client.GetApiAsync($"v1/webhooks/{webhookId}")).Data;

        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Equal("failed for the whole retry schedule", endpoint.GetProperty("disabled_reason").GetString());
        Assert.All(settled, d => Assert.Equal("failed", d.GetProperty("status").GetString()));
        // One delivery went through the whole schedule (8 tries); the rest say why they were never sent.
        Assert.Contains(settled, d => d.GetProperty("attempts").GetArrayLength() == 8);
        Assert.Contains(settled, d => d.GetProperty("attempts").EnumerateArray().Last().GetProperty("error").GetString() == "endpoint disabled");
        Assert.All(settled, d => Assert.True(d.GetProperty("next_attempt_at").ValueKind == JsonValueKind.Null));
    }

    [Fact]
    public async Task One_event_the_receiver_refuses_does_not_hold_back_the_others()
    {
        await StartAsync(retries: 7);
        receiver.Refusing = body => JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("name").GetString() == "Recusado";
        var (client, webhookId) = await SubscribeAsync();
        var refused = await client.CreateCustomerIdAsync(ApiCalls.NewCustomer("Recusado"));
        var others = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            others.Add(await client.CreateCustomerIdAsync());
        }

        var received = await Eventually.MatchAsync(
            () => Task.FromResult(receiver.Succeeded.Select(r => r.Json.GetProperty("data").GetProperty("id").GetString()!).ToHashSet()),
            ids => others.All(ids.Contains), TimeSpan.FromSeconds(10));

        Assert.Subset(received, others.ToHashSet());
        Assert.DoesNotContain(refused, received);
        Assert.True((await client.GetApiAsync($"v1/webhooks/{webhookId}")).Data.GetProperty("enabled").GetBoolean());
        // The refused event may be tried after the others were delivered: it is not in their way, nor they in its.
        static bool Refused(JsonElement delivery) => delivery.GetProperty("attempts").EnumerateArray()
            .Any(a => a.GetProperty("status_code").ValueKind == JsonValueKind.Number && a.GetProperty("status_code").GetInt32() == 500);
        var deliveries = await Eventually.MatchAsync(() => DeliveriesAsync(client, webhookId), d => d.Count(Refused) == 1, TimeSpan.FromSeconds(10));
        var refusedDelivery = deliveries.Single(Refused);
        Assert.Equal("pending", refusedDelivery.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Fan_outs_that_meet_sustained_contention_on_a_dead_endpoint_complete_and_the_live_receiver_gets_every_event_once()
    {
        // As in a host running a batch of fan-outs side by side when a job starts: the first tries find two endpoints
        // dead, and other writers (fan-outs, probes) change those endpoints between each read and write of this one.
        // Contention is no reason to fail a fan-out: its redelivery would store every delivery untried and send each again.
        var settings = WebhookDeliveryTests.LocalSettings(Schedule(7, firstSeconds: 60));
        settings.RunQueueConsumers = false;
        settings.ConfigureServices = services => services.AddSingleton<IWebhookEndpointStore>(sp =>
            new ContendedEndpointStore(sp.GetRequiredService<Interflow.Infrastructure.Sqlite.SqliteWebhookStores>(), conflicts: 20));
        server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);
        await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "*" } });
        for (var i = 0; i < 2; i++)
        {
            await client.PostApiAsync("v1/webhooks", new { url = $"http://127.0.0.1:{LoopbackPorts.Free()}/x", events = new[] { "*" } });
        }
        var tenant = new Tenant(account.Id, ApiEnvironment.Live);
        var log = server.Services.GetRequiredService<IEventLog>();
        var fanOuts = new List<WebhookFanoutWork>();
        for (var f = 0; f < 8; f++)
        {
            var events = Enumerable.Range(0, 5).Select(e => new DomainEvent($"evt_{f}_{e}_{Guid.NewGuid():N}", "customer.created", DateTimeOffset.UtcNow, JsonDocument.Parse("{}").RootElement)).ToArray();
            await log.AppendAsync(tenant, events, default);
            fanOuts.Add(new(account.Id, "live", [.. events.Select(e => e.Id)]));
        }
        var dispatcher = server.Services.GetRequiredService<WebhookFanOut>();

        await Task.WhenAll(fanOuts.Select(work => dispatcher.FanOutAsync(work, default)));

        Assert.Equal(8 * 5, receiver.Succeeded.Count());
        Assert.Equal(8 * 5, receiver.Succeeded.Select(r => r.Id).Distinct().Count());
        var deliveries = await Task.WhenAll((await server.Services.GetRequiredService<IWebhookEndpointStore>().ListAsync(tenant, default))
            .Select(async e => (e, await DeliveriesAsync(client, e.Id))));
        Assert.All(deliveries.Where(d => d.e.Url != receiver.Url), d => Assert.All(d.Item2, x => Assert.Equal("pending", x.GetProperty("status").GetString())));
        Assert.All(deliveries.Single(d => d.e.Url == receiver.Url).Item2, x => Assert.Equal("succeeded", x.GetProperty("status").GetString()));
    }

    /// <summary>An endpoint store where another writer changes the endpoint just before each of the first writes.</summary>
    private sealed class ContendedEndpointStore(IWebhookEndpointStore inner, int conflicts) : IWebhookEndpointStore
    {
        private int left = conflicts;

        public Task<WebhookEndpoint> CreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) => inner.CreateAsync(endpoint, cancellationToken);

        public Task<WebhookEndpoint?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) => inner.GetAsync(tenant, id, cancellationToken);

        public Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Tenant tenant, CancellationToken cancellationToken) => inner.ListAsync(tenant, cancellationToken);

        public async Task<WebhookEndpoint> ReplaceAsync(WebhookEndpoint endpoint, string expectedETag, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref left) >= 0 && await inner.GetAsync(endpoint.Tenant, endpoint.Id, cancellationToken) is { } current)
            {
                await inner.ReplaceAsync(current with { UpdatedAt = DateTimeOffset.UtcNow }, current.ETag, cancellationToken);
            }
            return await inner.ReplaceAsync(endpoint, expectedETag, cancellationToken);
        }

        public Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken) => inner.DeleteAsync(tenant, id, cancellationToken);
    }
}
