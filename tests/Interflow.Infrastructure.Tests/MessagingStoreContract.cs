using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Core.Paging;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Tests;

/// <summary>The messaging stores' part of the contract: channels, chats, messages, the event log and outboxes.</summary>
public abstract class MessagingStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly Tenant tenant = new(Ids.New("acc"), ApiEnvironment.Live);

    private static DomainEvent Event(string type, string resource) =>
        new(DomainEvent.IdFor(resource, type), type, T0, JsonSerializer.SerializeToElement(new { id = resource }));

    private Chat NewChat(string channel, string customer, DateTimeOffset? last = null, params DomainEvent[] outbox) =>
        new(Ids.New("chat"), tenant, channel, customer, ChatStatus.Open, last, 0, T0, T0, null, outbox);

    private Message NewMessage(string chat, DateTimeOffset at, string? providerId = null) =>
        new(Ids.New("msg"), tenant, "ch_1", chat, "cust_1", MessageDirection.Outbound, "5511987654321", MessageType.Location,
            JsonSerializer.SerializeToElement(new { latitude = -23.5, longitude = -46.6, name = "Sé" }),
            JsonSerializer.SerializeToElement(new { order = "42" }), MessageStatus.Queued, null, providerId, at, at,
            null, null, null, null, 0, at.AddMinutes(1), []);

    [SkippableFact]
    public async Task Channels_round_trip_with_their_secrets_and_are_found_by_id_alone()
    {
        RequireEngine();
        var channel = new Channel(Ids.New("ch"), tenant, ChannelKind.WhatsAppCloud, "Loja",
            new WhatsAppCredentials("1065", "token", "secret", "verify"), 120, T0);
        await Stores.Channels.CreateAsync(channel, default);

        Assert.Equal(channel, await Stores.Channels.FindAsync(channel.Id, default));
        Assert.Equal(channel, await Stores.Channels.GetAsync(tenant, channel.Id, default));
        Assert.Null(await Stores.Channels.GetAsync(tenant with { Environment = ApiEnvironment.Test }, channel.Id, default));
    }

    [SkippableFact]
    public async Task One_open_chat_per_customer_and_channel()
    {
        RequireEngine();
        var first = await Stores.Chats.CreateAsync(NewChat("ch_a", "cust_a"), default);

        var duplicate = await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.Chats.CreateAsync(NewChat("ch_a", "cust_a"), default));
        Assert.Equal("chat", duplicate.Field);
        await Stores.Chats.CreateAsync(NewChat("ch_b", "cust_a"), default);

        var closed = await Stores.Chats.ReplaceAsync(first with { Status = ChatStatus.Closed, ClosedAt = T0 }, first.ETag, default);
        Assert.Null(await Stores.Chats.FindOpenAsync(tenant, "ch_a", "cust_a", default));
        var second = await Stores.Chats.CreateAsync(NewChat("ch_a", "cust_a"), default);
        Assert.Equal(second.Id, (await Stores.Chats.FindOpenAsync(tenant, "ch_a", "cust_a", default))!.Id);
        await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.Chats.ReplaceAsync(closed with { Status = ChatStatus.Open, ClosedAt = null }, closed.ETag, default));
        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.Chats.ReplaceAsync(first with { UnreadCount = 3 }, first.ETag, default));
    }

    [SkippableFact]
    public async Task Chats_list_by_activity_with_filters()
    {
        RequireEngine("OFFSET/LIMIT queries");
        var quiet = await Stores.Chats.CreateAsync(NewChat("ch_a", "cust_1"), default);
        var busy = await Stores.Chats.CreateAsync(NewChat("ch_a", "cust_2", T0.AddMinutes(5)), default);
        var other = await Stores.Chats.CreateAsync(NewChat("ch_b", "cust_1", T0.AddMinutes(1)), default);

        var all = await Stores.Chats.ListAsync(tenant, new ChatFilter(), new PageRequest(1, 20), default);
        var byChannel = await Stores.Chats.ListAsync(tenant, new ChatFilter(ChannelId: "ch_a"), new PageRequest(1, 1), default);
        var byCustomer = await Stores.Chats.ListAsync(tenant, new ChatFilter(Status: ChatStatus.Open, CustomerId: "cust_1"), new PageRequest(1, 20), default);

        Assert.Equal([busy.Id, other.Id, quiet.Id], all.Items.Select(c => c.Id));
        Assert.Equal([busy.Id], byChannel.Items.Select(c => c.Id));
        Assert.Equal(2, byChannel.Total);
        Assert.Equal([other.Id, quiet.Id], byCustomer.Items.Select(c => c.Id));
    }

    [SkippableFact]
    public async Task Messages_round_trip_and_are_found_by_provider_id_and_chat()
    {
        RequireEngine();
        var message = await Stores.Messages.CreateAsync(NewMessage("chat_1", T0, "wamid.1"), default);
        var read = await Stores.Messages.GetAsync(tenant, message.Id, default);

        Assert.NotNull(read);
        Assert.Equal(message.ETag, read.ETag);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(message.Content.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(read.Content.GetRawText())));
        Assert.Equal("42", read.Metadata!.Value.GetProperty("order").GetString());
        Assert.Equal((MessageType.Location, MessageStatus.Queued, T0.AddMinutes(1)), (read.Type, read.Status, read.LeaseUntil!.Value));
        Assert.Equal(message.Id, (await Stores.Messages.FindByProviderIdAsync(tenant, "ch_1", "wamid.1", default))!.Id);

        var sent = await Stores.Messages.ReplaceAsync(read with { Status = MessageStatus.Sent, SentAt = T0.AddSeconds(1), Error = new MessageError("X", "y") }, read.ETag, default);
        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.Messages.ReplaceAsync(read with { Attempts = 9 }, read.ETag, default));
        var again = await Stores.Messages.GetAsync(tenant, message.Id, default);
        Assert.Equal((MessageStatus.Sent, T0.AddSeconds(1), "X"), (again!.Status, again.SentAt!.Value, again.Error!.Code));
        Assert.Equal(sent.ETag, again.ETag);
        var duplicate = await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.Messages.CreateAsync(message, default));
        Assert.Equal("id", duplicate.Field);
    }

    [SkippableFact]
    public async Task A_chats_messages_page_oldest_or_newest_first()
    {
        RequireEngine("OFFSET/LIMIT queries");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await Stores.Messages.CreateAsync(NewMessage("chat_p", T0.AddSeconds(i)), default)).Id);
        }
        await Stores.Messages.CreateAsync(NewMessage("chat_other", T0), default);

        var oldest = await Stores.Messages.ListByChatAsync(tenant, "chat_p", false, new PageRequest(1, 3), default);
        var newest = await Stores.Messages.ListByChatAsync(tenant, "chat_p", true, new PageRequest(2, 3), default);

        Assert.Equal(ids.Take(3), oldest.Items.Select(m => m.Id));
        Assert.Equal([ids[0]], newest.Items.Select(m => m.Id));
        Assert.Equal(4, oldest.Total);
    }

    [SkippableFact]
    public async Task Outbox_is_found_by_the_sweep_and_cleared_only_at_the_relayed_version()
    {
        RequireEngine();
        var created = await Stores.Chats.CreateAsync(NewChat("ch_o", "cust_o", null, Event("chat.created", "chat_o")), default);
        var pending = await Stores.ChatOutbox.FindPendingAsync(DateTimeOffset.MaxValue, 100, default);
        var entry = Assert.Single(pending, e => e.ResourceId == created.Id);
        Assert.Equal("chat.created", Assert.Single(entry.Events).Type);

        var newer = await Stores.Chats.ReplaceAsync(created with { UnreadCount = 1, Outbox = [.. created.Outbox, Event("chat.closed", "chat_o")] }, created.ETag, default);
        await Stores.ChatOutbox.ClearAsync([entry], default);
        Assert.Equal(2, (await Stores.Chats.GetAsync(tenant, created.Id, default))!.Outbox.Count);

        await Stores.ChatOutbox.ClearAsync([entry with { ETag = newer.ETag, Events = newer.Outbox }], default);
        Assert.Empty((await Stores.Chats.GetAsync(tenant, created.Id, default))!.Outbox);
        Assert.DoesNotContain(await Stores.ChatOutbox.FindPendingAsync(DateTimeOffset.MaxValue, 100, default), e => e.ResourceId == created.Id);
        Assert.Empty(await Stores.ChatOutbox.FindPendingAsync(T0.AddYears(-10), 100, default));
    }

    [SkippableFact]
    public async Task The_event_log_keeps_each_event_once_in_order()
    {
        RequireEngine();
        var first = Event("message.sent", "msg_1") with { CreatedAt = T0 };
        var second = Event("message.read", "msg_1") with { CreatedAt = T0.AddSeconds(5) };

        Assert.Equal([first.Id], (await Stores.Events.AppendAsync(tenant, [first], default)).Select(e => e.Id));
        Assert.Equal([second.Id], (await Stores.Events.AppendAsync(tenant, [second], default)).Select(e => e.Id));
        Assert.Empty(await Stores.Events.AppendAsync(tenant, [first], default));

        var events = await Stores.Events.ListAsync(tenant, 10, default);
        Assert.Equal([first.Id, second.Id], events.Select(e => e.Id));
        Assert.Equal("msg_1", events[0].Data.GetProperty("id").GetString());
        Assert.Empty(await Stores.Events.ListAsync(tenant with { Environment = ApiEnvironment.Test }, 10, default));
    }

    [SkippableFact]
    public async Task Webhook_endpoints_round_trip_with_their_secret_and_concurrency()
    {
        RequireEngine();
        var endpoint = new WebhookEndpoint(Ids.New("wh"), tenant, "https://crm.example.com/hooks", ["message.sent", "*"], "CRM",
            "whsec_c2VjcmV0", true, null, null, T0, T0);
        var created = await Stores.WebhookEndpoints.CreateAsync(endpoint, default);
        var read = await Stores.WebhookEndpoints.GetAsync(tenant, endpoint.Id, default);

        Assert.NotNull(read);
        Assert.Equal((endpoint.Url, endpoint.Secret, endpoint.Description, true), (read.Url, read.Secret, read.Description, read.Enabled));
        Assert.Equal(endpoint.Events, read.Events);
        Assert.Equal([endpoint.Id], (await Stores.WebhookEndpoints.ListAsync(tenant, default)).Select(e => e.Id));
        Assert.Empty(await Stores.WebhookEndpoints.ListAsync(tenant with { Environment = ApiEnvironment.Test }, default));

        var disabled = await Stores.WebhookEndpoints.ReplaceAsync(read with { Enabled = false, FailingSince = T0 }, read.ETag, default);
        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.WebhookEndpoints.ReplaceAsync(read with { Url = "https://x.example" }, created.ETag, default));
        Assert.False((await Stores.WebhookEndpoints.GetAsync(tenant, endpoint.Id, default))!.Enabled);
        Assert.True(await Stores.WebhookEndpoints.DeleteAsync(tenant, endpoint.Id, default));
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.WebhookEndpoints.ReplaceAsync(disabled, disabled.ETag, default));
    }

    [SkippableFact]
    public async Task Webhook_deliveries_are_created_once_and_keep_their_attempts()
    {
        RequireEngine();
        var delivery = new WebhookDelivery("dlv_" + Guid.NewGuid().ToString("N")[..24], tenant, "wh_1", "evt_1", "message.sent",
            DeliveryStatus.Pending, [], T0, null, T0, T0);
        var created = await Stores.WebhookDeliveries.CreateAsync(delivery, default);

        await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.WebhookDeliveries.CreateAsync(delivery, default));
        var tried = await Stores.WebhookDeliveries.ReplaceAsync(created with
        {
            Attempts = [new DeliveryAttempt(T0, 500, null, 12), new DeliveryAttempt(T0.AddSeconds(5), null, "timeout", 10_000)],
            NextAttemptAt = T0.AddMinutes(5),
        }, created.ETag, default);
        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.WebhookDeliveries.ReplaceAsync(created, created.ETag, default));
        var read = await Stores.WebhookDeliveries.GetAsync(tenant, delivery.Id, default);

        Assert.Equal(tried.Attempts, read!.Attempts);
        Assert.Equal(T0.AddMinutes(5), read.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Pending, read.Status);
    }

    [SkippableFact]
    public async Task Webhook_deliveries_page_newest_first_per_endpoint()
    {
        RequireEngine("OFFSET/LIMIT queries");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var d = new WebhookDelivery($"dlv_{i}_{Guid.NewGuid():N}", tenant, "wh_p", $"evt_{i}", "message.sent", DeliveryStatus.Pending, [], null, null, T0.AddSeconds(i), T0);
            ids.Add((await Stores.WebhookDeliveries.CreateAsync(d, default)).Id);
        }

        var page = await Stores.WebhookDeliveries.ListAsync(tenant, "wh_p", new PageRequest(1, 2), default);

        Assert.Equal([ids[2], ids[1]], page.Items.Select(d => d.Id));
        Assert.Equal(3, page.Total);
        Assert.Equal(0, (await Stores.WebhookDeliveries.ListAsync(tenant, "wh_other", new PageRequest(1, 2), default)).Total);
    }

    [SkippableFact]
    public async Task An_endpoints_waiting_deliveries_are_listed_oldest_first_and_leave_the_list_once_they_stop_waiting()
    {
        RequireEngine();
        var endpointId = $"wh_w{Guid.NewGuid():N}"[..16];
        var waiting = new List<WebhookDelivery>();
        for (var i = 0; i < 4; i++)
        {
            var d = new WebhookDelivery($"dlv_w{i}_{Guid.NewGuid():N}", tenant, endpointId, $"evt_{i}", "message.sent", DeliveryStatus.Pending, [], T0, null,
                T0.AddSeconds(10 - i), T0) { Waiting = i != 2 };
            waiting.Add(await Stores.WebhookDeliveries.CreateAsync(d, default));
        }
        await Stores.WebhookDeliveries.CreateAsync(waiting[0] with { Id = $"dlv_o_{Guid.NewGuid():N}", EndpointId = "wh_other" }, default);
        await Stores.WebhookDeliveries.CreateAsync(waiting[0] with { Id = $"dlv_t_{Guid.NewGuid():N}", Tenant = tenant with { Environment = ApiEnvironment.Test } }, default);

        var oldest = await Stores.WebhookDeliveries.ListWaitingAsync(tenant, endpointId, 2, default);
        Assert.Equal([waiting[3].Id, waiting[1].Id], oldest.Select(d => d.Id));
        Assert.True(oldest.All(d => d.Waiting));

        await Stores.WebhookDeliveries.ReplaceManyAsync([new(oldest[0] with { Waiting = false, Status = DeliveryStatus.Succeeded }, oldest[0].ETag)], default);
        var left = await Stores.WebhookDeliveries.ListWaitingAsync(tenant, endpointId, 10, default);
        Assert.Equal([waiting[1].Id, waiting[0].Id], left.Select(d => d.Id));
        Assert.Equal(left[0].ETag, (await Stores.WebhookDeliveries.GetAsync(tenant, left[0].Id, default))!.ETag);
    }

    [SkippableFact]
    public async Task Bulk_jobs_and_chunks_round_trip_and_settle_once()
    {
        RequireEngine();
        var content = JsonSerializer.SerializeToElement(new { text = "Olá" });
        var chunks = Enumerable.Range(0, 3).Select(i => new BulkChunk("bulk_x", i, [new BulkRecipient($"55119876500{i:D2}", MessageType.Text, content)], false, 0, 0, 0)).ToArray();
        var job = new BulkJob("bulk_" + Guid.NewGuid().ToString("N")[..24], tenant, "ch_1", BulkStatus.Queued, 3, 0, 0, 0, 3, false, T0, T0, null, []);
        chunks = chunks.Select(c => c with { JobId = job.Id }).ToArray();

        var created = await Stores.Bulk.CreateAsync(job, chunks, default);
        var chunk = await Stores.Bulk.GetChunkAsync(tenant, job.Id, 1, default);
        Assert.Equal("5511987650001", Assert.Single(chunk!.Recipients).To);
        Assert.Equal("Olá", chunk.Recipients[0].Content.GetProperty("text").GetString());

        var settled = await Stores.Bulk.ReplaceChunkAsync(tenant, chunk with { Done = true, Sent = 1 }, chunk.ETag, default);
        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.Bulk.ReplaceChunkAsync(tenant, chunk with { Done = true, Failed = 1 }, chunk.ETag, default));
        var counts = await Stores.Bulk.ListChunkCountsAsync(tenant, job.Id, default);
        Assert.Equal([0, 1, 2], counts.Select(c => c.Index));
        Assert.Equal([false, true, false], counts.Select(c => c.Done));
        Assert.Equal(1, counts.Sum(c => c.Sent));
        Assert.Equal(settled.ETag, counts[1].ETag);

        var processing = await Stores.Bulk.ReplaceAsync(created with { Status = BulkStatus.Processing, Sent = 1, Outbox = [Event("bulk.completed", job.Id)] }, created.ETag, default);
        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.Bulk.ReplaceAsync(created with { CancelRequested = true }, created.ETag, default));
        var read = await Stores.Bulk.GetAsync(tenant, job.Id, default);
        Assert.Equal((BulkStatus.Processing, 1, 2), (read!.Status, read.Sent, read.Queued));
        Assert.Equal("bulk.completed", Assert.Single(read.Outbox).Type);
        Assert.Equal(processing.ETag, read.ETag);
    }

    [SkippableFact]
    public async Task Bulk_jobs_of_another_tenant_are_not_found()
    {
        RequireEngine("point reads of missing items");
        var job = new BulkJob("bulk_" + Guid.NewGuid().ToString("N")[..24], tenant, "ch_1", BulkStatus.Queued, 0, 0, 0, 0, 0, false, T0, T0, null, []);
        await Stores.Bulk.CreateAsync(job, [], default);

        Assert.Null(await Stores.Bulk.GetAsync(tenant with { Environment = ApiEnvironment.Test }, job.Id, default));
        Assert.Null(await Stores.Bulk.GetChunkAsync(tenant, job.Id, 0, default));
    }
}
