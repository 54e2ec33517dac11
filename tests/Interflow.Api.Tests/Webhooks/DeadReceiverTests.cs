using System.Text.Json;
using Interflow.Core.Accounts;
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
}
