using System.Net;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Webhooks;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Webhooks;

/// <summary>Subscriptions and signed, retried delivery to a real receiver on loopback.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string FastSchedule = "00:00:00.200,00:00:00.200,00:00:00.200,00:00:00.200,00:00:00.200,00:00:00.200,00:00:00.200";
    private WebhookReceiver receiver = null!;
    private InterflowTestServer server = null!;

    public static TestServerSettings LocalSettings(string schedule = FastSchedule)
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
        settings.Configuration["Interflow:Webhooks:RetrySchedule"] = schedule;
        settings.Configuration["Interflow:Webhooks:Timeout"] = "00:00:01";
        return settings;
    }

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        server = await InterflowTestServer.StartAsync(LocalSettings());
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await receiver.DisposeAsync();
    }

    private async Task<(HttpClient Client, string Id, string Secret)> SubscribeAsync(string[]? events = null, InterflowTestServer? on = null)
    {
        var account = await InterflowServerFixture.CreateAccountAsync(on ?? server, Plan.Enterprise);
        var client = (on ?? server).CreateClient(account.LiveKey);
        var created = await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = events ?? ["*"], description = "CRM" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (client, created.Data.GetProperty("id").GetString()!, created.Data.GetProperty("secret").GetString()!);
    }

    private async Task<IReadOnlyList<ReceivedWebhook>> ReceivedAsync(int count, TimeSpan? timeout = null) =>
        (await Eventually.MatchAsync(() => Task.FromResult(receiver.Received.ToArray()), r => r.Length >= count, timeout)).ToArray();

    [Fact]
    public async Task Events_arrive_signed_per_standard_webhooks_with_the_resource_as_data()
    {
        var (client, _, secret) = await SubscribeAsync(["customer.created"]);

        var customerId = await client.CreateCustomerIdAsync();
        var webhook = (await ReceivedAsync(1)).Single();

        Assert.True(StandardWebhooks.Verify(secret, webhook), "signature does not verify");
        Assert.False(StandardWebhooks.Verify("whsec_" + Convert.ToBase64String(new byte[24]), webhook));
        var body = webhook.Json;
        Assert.Equal(["id", "type", "created_at", "data"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(webhook.Id, body.GetProperty("id").GetString());
        Assert.StartsWith("evt_", webhook.Id);
        Assert.Equal("customer.created", body.GetProperty("type").GetString());
        Assert.Equal(customerId, body.GetProperty("data").GetProperty("id").GetString());
        Assert.InRange(long.Parse(webhook.Timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_receiver_failing_three_times_gets_the_event_once_as_a_success_after_four_attempts()
    {
        receiver.Answer(500, 503, 404, 200);
        var (client, webhookId, _) = await SubscribeAsync(["customer.created"]);

        await client.CreateCustomerIdAsync();
        var received = await ReceivedAsync(4);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // no further attempt may follow a success

        Assert.Equal(4, receiver.Received.Count);
        Assert.Single(receiver.Succeeded);
        Assert.Single(received.Select(r => r.Id).Distinct()); // the same webhook-id on every try: receivers de-duplicate by it
        var deliveries = await client.GetApiAsync($"v1/webhooks/{webhookId}/deliveries");
        var delivery = deliveries.Data.EnumerateArray().Single();
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 503, 404, 200], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
    }

    [Fact]
    public async Task A_hanging_receiver_is_cut_at_the_timeout()
    {
        receiver.Answer(WebhookReceiver.Hang, 200);
        var (client, webhookId, _) = await SubscribeAsync(["customer.created"]);

        await client.CreateCustomerIdAsync();
        await ReceivedAsync(2);
        var delivery = await Eventually.MatchAsync(
            async () => (await client.GetApiAsync($"v1/webhooks/{webhookId}/deliveries")).Data.EnumerateArray().Single(),
            d => d.GetProperty("status").GetString() == "succeeded");

        var first = delivery.GetProperty("attempts")[0];
        Assert.Equal("timeout", first.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("status_code").ValueKind);
        Assert.InRange(first.GetProperty("duration_ms").GetInt64(), 900, 5000);
    }

    [Fact]
    public async Task Customer_changes_emit_created_updated_and_deleted_in_order()
    {
        var (client, _, _) = await SubscribeAsync(["customer.created", "customer.updated", "customer.deleted"]);

        var id = await client.CreateCustomerIdAsync();
        await ReceivedAsync(1);
        await client.PutApiAsync($"v1/customers/{id}", new { name = "Renamed" });
        await ReceivedAsync(2);
        await client.DeleteApiAsync($"v1/customers/{id}");
        var received = await ReceivedAsync(3);

        Assert.Equal(["customer.created", "customer.updated", "customer.deleted"], received.Select(r => r.Json.GetProperty("type").GetString()));
        Assert.Equal("Renamed", received[1].Json.GetProperty("data").GetProperty("name").GetString());
        Assert.All(received, r => Assert.Equal(id, r.Json.GetProperty("data").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_disabled_endpoint_receives_nothing()
    {
        var (client, webhookId, _) = await SubscribeAsync();

        var disabled = await client.PutApiAsync($"v1/webhooks/{webhookId}", new { enabled = false });
        await client.CreateCustomerIdAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.False(disabled.Data.GetProperty("enabled").GetBoolean());
        Assert.Empty(receiver.Received);
        Assert.Empty((await client.GetApiAsync($"v1/webhooks/{webhookId}/deliveries")).Data.EnumerateArray());
    }

    [Fact]
    public async Task Events_of_one_account_never_reach_another_accounts_endpoints()
    {
        var (subscriber, _, _) = await SubscribeAsync();
        var other = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        using var otherClient = server.CreateClient(other.LiveKey);
        using var sandbox = server.CreateClient((await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise)).TestKey);

        await otherClient.CreateCustomerIdAsync();
        await sandbox.CreateCustomerIdAsync();
        var own = await subscriber.CreateCustomerIdAsync();
        var received = await ReceivedAsync(1);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal([own], receiver.Received.Select(r => r.Json.GetProperty("data").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_endpoint_failing_for_the_whole_schedule_is_disabled_and_a_test_ping_brings_it_back()
    {
        receiver.Answer(500);
        var (client, webhookId, secret) = await SubscribeAsync(["customer.created"]);

        await client.CreateCustomerIdAsync();
        var endpoint = await Eventually.MatchAsync(
            async () => (await client.GetApiAsync($"v1/webhooks/{webhookId}")).Data,
            e => !e.GetProperty("enabled").GetBoolean());
        var delivery = (await client.GetApiAsync($"v1/webhooks/{webhookId}/deliveries")).Data.EnumerateArray().Single();

        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Equal("failed for the whole retry schedule", endpoint.GetProperty("disabled_reason").GetString());
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(8, delivery.GetProperty("attempts").GetArrayLength());

        receiver.Answer(200);
        var ping = await client.PostApiAsync($"v1/webhooks/{webhookId}/test", null);
        Assert.Equal("succeeded", ping.Data.GetProperty("status").GetString());
        Assert.Equal("webhook.test", ping.Data.GetProperty("event_type").GetString());
        Assert.True((await client.GetApiAsync($"v1/webhooks/{webhookId}")).Data.GetProperty("enabled").GetBoolean());
        Assert.True(StandardWebhooks.Verify(secret, receiver.Succeeded.Single()));
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_the_api_validates_subscriptions()
    {
        var (client, webhookId, secret) = await SubscribeAsync(["message.sent", "message.read"]);

        var fetched = await client.GetApiAsync($"v1/webhooks/{webhookId}");
        var listed = await client.GetApiAsync("v1/webhooks");
        var invalid = await client.PostApiAsync("v1/webhooks", new { url = "ftp://example.com/x", events = new[] { "message.exploded" } });
        var empty = await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = Array.Empty<string>() });
        var deleted = await client.DeleteApiAsync($"v1/webhooks/{webhookId}");

        Assert.Matches("^whsec_[A-Za-z0-9+/=]{32}$", secret);
        Assert.DoesNotContain(secret, fetched.Raw);
        Assert.DoesNotContain(secret, listed.Raw);
        Assert.Equal(["message.sent", "message.read"], fetched.Data.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["events[0]", "url"], invalid.Details.Select(d => d.Field).Order());
        Assert.Equal(["events"], empty.Details.Select(d => d.Field));
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetApiAsync($"v1/webhooks/{webhookId}")).Status);
    }

    [Fact]
    public async Task A_repeated_fan_out_of_deliveries_another_try_holds_sends_one_message_and_each_event_arrives_once()
    {
        // The first fan-out dies in the middle of its tries: its deliveries stay stored, held, untried. A second fan-out
        // of the same events (its message redelivered, or the events relayed again) finds them held: one look after the
        // hold instead of a message per delivery, and that look hands them to the attempt queue, each delivered once.
        var dying = new DyingSender();
        var settings = LocalSettings();
        settings.ConfigureServices = services => services.AddSingleton<IWebhookSender>(sp =>
            dying.Over(ActivatorUtilities.CreateInstance<Interflow.Infrastructure.Webhooks.WebhookSender>(sp)));
        await using var own = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(own, Plan.Enterprise);
        using var client = own.CreateClient(account.LiveKey);
        await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "*" } });
        var tenant = new Tenant(account.Id, ApiEnvironment.Live);
        var events = Enumerable.Range(0, 5).Select(e => new DomainEvent($"evt_{e}_{Guid.NewGuid():N}", "customer.created", DateTimeOffset.UtcNow, JsonDocument.Parse("{}").RootElement)).ToArray();
        await own.Services.GetRequiredService<IEventLog>().AppendAsync(tenant, events, default);
        var work = new WebhookFanoutWork(account.Id, "live", [.. events.Select(e => e.Id)]);
        var dispatcher = own.Services.GetRequiredService<WebhookFanOut>();
        var queues = own.Services.GetRequiredService<StorageQueues>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.FanOutAsync(work, default));
        var fanOutsBefore = queues.MessagesSent(QueueNames.WebhookEvents);
        var attemptsBefore = queues.MessagesSent(QueueNames.WebhookDeliveries);

        await dispatcher.FanOutAsync(work, default);

        Assert.Equal(1, queues.MessagesSent(QueueNames.WebhookEvents) - fanOutsBefore);
        Assert.Equal(0, queues.MessagesSent(QueueNames.WebhookDeliveries) - attemptsBefore);
        Assert.Empty(receiver.Received);
        // The hold is the lease (twice the 1 s timeout and 5 s): then each is tried once, through the attempt queue.
        await ReceivedAsync(events.Length, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(events.Select(e => e.Id).Order(), receiver.Received.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task A_record_relayed_again_before_its_outbox_was_cleared_fans_out_only_its_new_events()
    {
        // A status report written while the relay of the send is still under way: the record's outbox then holds the
        // send's event, already fanned out, beside the report's. Its fan-out message is queued; the second relay's
        // carries only the new event. (Consumers off, so the queue holds exactly what the relays sent.)
        var settings = LocalSettings();
        settings.RunQueueConsumers = false;
        await using var own = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(own, Plan.Enterprise);
        using var client = own.CreateClient(account.LiveKey);
        await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "*" } });
        var tenant = new Tenant(account.Id, ApiEnvironment.Live);
        DomainEvent Event(string type) => new($"evt_{type}_{Guid.NewGuid():N}", type, DateTimeOffset.UtcNow, JsonDocument.Parse("{}").RootElement);
        var (sent, delivered) = (Event("message.sent"), Event("message.delivered"));
        var relay = own.Services.GetRequiredService<EventRelay>();

        await relay.RelayAsync(new OutboxEntry(Interflow.Core.Messages.OutboundDelivery.Kind, tenant, "msg_1", "etag-1", [sent]), default);
        await relay.RelayAsync(new OutboxEntry(Interflow.Core.Messages.OutboundDelivery.Kind, tenant, "msg_1", "etag-2", [sent, delivered]), default);

        var queued = (await own.Services.GetRequiredService<StorageQueues>().Queue(QueueNames.WebhookEvents).ReceiveMessagesAsync(32)).Value
            .Select(m => JsonSerializer.Deserialize<JsonElement>(m.Body.ToString()).GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()).ToArray())
            .ToArray();
        Assert.Equal(2, queued.Length);
        Assert.Contains(queued, ids => ids.SequenceEqual([sent.Id]));
        Assert.Contains(queued, ids => ids.SequenceEqual([delivered.Id]));
        // Both are in the log, once each.
        var logged = await own.Services.GetRequiredService<IEventLog>().GetManyAsync(tenant, [sent.Id, delivered.Id], default);
        Assert.Equal(2, logged.Count);
    }

    /// <summary>A sender whose first try dies with its process (the fan-out fails before it saves anything); the rest go through.</summary>
    private sealed class DyingSender : IWebhookSender
    {
        private IWebhookSender inner = null!;
        private int died;

        public IWebhookSender Over(IWebhookSender sender)
        {
            inner = sender;
            return this;
        }

        public Task<SendOutcome> SendAsync(WebhookEndpoint endpoint, string eventId, byte[] body, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref died, 1) == 0
                ? throw new InvalidOperationException("the process died")
                : inner.SendAsync(endpoint, eventId, body, cancellationToken);
    }
}
