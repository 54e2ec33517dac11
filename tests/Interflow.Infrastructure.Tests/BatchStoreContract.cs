using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Tests;

/// <summary>
/// The batch operations' part of the contract: reads of many records at once, and writes of many in one write
/// (one SQLite transaction, Cosmos DB transactional batches). Writes of several records are what the Cosmos
/// stand-in cannot run (it has no transactional batches); single-record batches go through single calls, which it can.
/// </summary>
public abstract class BatchStoreContract : MessagingStoreContract
{
    private const string Batches = "transactional batches";
    private static readonly DateTimeOffset T0 = new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly Tenant tenant = new(Ids.New("acc"), ApiEnvironment.Live);
    private readonly Tenant other = new(Ids.New("acc"), ApiEnvironment.Live);

    /// <summary>Records are equal when every field is, collections included (record equality compares those by reference).</summary>
    private static void Same<T>(T expected, T? actual) => Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    private static DomainEvent Event(string type, string resource) =>
        new(DomainEvent.IdFor(resource, type), type, T0, JsonSerializer.SerializeToElement(new { id = resource }));

    private static Customer Customer(Tenant tenant, string phone, params DomainEvent[] outbox) =>
        new(Ids.New("cust"), tenant, "+" + phone, null, phone, [], new Dictionary<string, JsonElement>(), T0, T0, outbox);

    private static Chat OpenChat(Tenant tenant, string channel, string customer, params DomainEvent[] outbox) =>
        new(Ids.New("chat"), tenant, channel, customer, ChatStatus.Open, T0, 0, T0, T0, null, outbox);

    private static Message Held(Tenant tenant, string chat, string customer, string? providerId = null) =>
        new(Ids.New("msg"), tenant, "ch_1", chat, customer, MessageDirection.Outbound, "5511987654321", MessageType.Text,
            JsonSerializer.SerializeToElement(new { text = "Olá" }), null, MessageStatus.Queued, null, providerId, T0, T0,
            null, null, null, null, 0, T0.AddMinutes(1), []);

    [SkippableFact]
    public async Task Messages_are_read_many_and_found_by_provider_ids_within_the_tenant()
    {
        RequireEngine();
        var first = await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1", "wamid.1"), default);
        var second = await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1", "wamid.2"), default);
        await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1"), default);
        var foreign = await Stores.Messages.CreateAsync(Held(other, "chat_9", "cust_9", "wamid.1"), default);

        var many = await Stores.Messages.GetManyAsync(tenant, [first.Id, second.Id, "msg_missing", foreign.Id], default);
        var byProvider = await Stores.Messages.FindByProviderIdsAsync(tenant, "ch_1", ["wamid.1", "wamid.2", "wamid.unknown"], default);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), many.Select(m => m.Id).Order());
        Same(first, many.Single(m => m.Id == first.Id));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), byProvider.Select(m => m.Id).Order());
        Assert.Empty(await Stores.Messages.FindByProviderIdsAsync(tenant, "ch_other", ["wamid.1"], default));
        Assert.Empty(await Stores.Messages.GetManyAsync(tenant, [], default));
    }

    [SkippableFact]
    public async Task Replacing_one_message_as_a_batch_checks_its_version()
    {
        RequireEngine();
        var message = await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1"), default);

        var saved = await Stores.Messages.ReplaceManyAsync([new(message with { Status = MessageStatus.Sent, SentAt = T0 }, message.ETag)], default);
        var stale = await Stores.Messages.ReplaceManyAsync([new(message with { Status = MessageStatus.Failed }, message.ETag)], default);

        Assert.Equal(MessageStatus.Sent, Assert.Single(saved)!.Status);
        Assert.Null(Assert.Single(stale));
        Same(saved[0], await Stores.Messages.GetAsync(tenant, message.Id, default));
    }

    [SkippableFact]
    public async Task Replace_many_writes_the_messages_still_at_their_version_and_reports_the_others()
    {
        RequireEngine(Batches);
        var a = await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1"), default);
        var b = await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1"), default);
        var c = await Stores.Messages.CreateAsync(Held(tenant, "chat_1", "cust_1"), default);
        var newerB = await Stores.Messages.ReplaceAsync(b with { Attempts = 1 }, b.ETag, default);

        var saved = await Stores.Messages.ReplaceManyAsync(
            [new(a with { Status = MessageStatus.Sent }, a.ETag), new(b with { Status = MessageStatus.Sent }, b.ETag), new(c with { Status = MessageStatus.Sent }, c.ETag)], default);

        Assert.Equal(MessageStatus.Sent, saved[0]!.Status);
        Assert.Null(saved[1]);
        Assert.Equal(MessageStatus.Sent, saved[2]!.Status);
        Same(newerB, await Stores.Messages.GetAsync(tenant, b.Id, default));
        Same(saved[2], await Stores.Messages.GetAsync(tenant, c.Id, default));
    }

    [SkippableFact]
    public async Task Customers_are_found_by_phones_and_open_chats_by_customers_within_the_tenant()
    {
        RequireEngine();
        var ana = await Stores.Customers.CreateAsync(Customer(tenant, "5511911110001"), default);
        var bia = await Stores.Customers.CreateAsync(Customer(tenant, "5511911110002"), default);
        await Stores.Customers.CreateAsync(Customer(other, "5511911110003"), default);
        var open = await Stores.Chats.CreateAsync(OpenChat(tenant, "ch_1", ana.Id), default);
        var closed = await Stores.Chats.CreateAsync(OpenChat(tenant, "ch_1", bia.Id), default);
        await Stores.Chats.ReplaceAsync(closed with { Status = ChatStatus.Closed, ClosedAt = T0 }, closed.ETag, default);
        await Stores.Chats.CreateAsync(OpenChat(tenant, "ch_2", bia.Id), default);

        var customers = await Stores.Customers.FindByPhonesAsync(tenant, ["5511911110001", "5511911110002", "5511911110003", "5511911110009"], default);
        var chats = await Stores.Chats.FindOpenManyAsync(tenant, "ch_1", [ana.Id, bia.Id, "cust_missing"], default);

        Assert.Equal(new[] { ana.Id, bia.Id }.Order(), customers.Select(c => c.Id).Order());
        Assert.Equal(open.Id, Assert.Single(chats).Id);
        Assert.Empty(await Stores.Chats.FindOpenManyAsync(other, "ch_1", [ana.Id], default));
    }

    [SkippableFact]
    public async Task A_recipient_batch_writes_customers_chats_activity_and_messages_together()
    {
        RequireEngine(Batches);
        var known = await Stores.Customers.CreateAsync(Customer(tenant, "5511922220001"), default);
        var reused = await Stores.Chats.CreateAsync(OpenChat(tenant, "ch_1", known.Id) with { LastMessageAt = T0 }, default);
        var newcomer = Customer(tenant, "5511922220002", Event("customer.created", "cust_new"));
        var chat = OpenChat(tenant, "ch_1", newcomer.Id, Event("chat.created", "chat_new"));
        var later = T0.AddMinutes(5);

        var written = await Stores.RecipientBatches.CreateAsync(new RecipientBatch(
            tenant, [newcomer], [chat], [new ChatActivity(reused.Id, later)],
            [Held(tenant, reused.Id, known.Id), Held(tenant, chat.Id, newcomer.Id), Held(tenant, chat.Id, newcomer.Id)]), default);

        Same(written.NewCustomers[0], await Stores.Customers.GetAsync(tenant, newcomer.Id, default));
        Same(written.NewChats[0], await Stores.Chats.GetAsync(tenant, chat.Id, default));
        Assert.Equal(later, (await Stores.Chats.GetAsync(tenant, reused.Id, default))!.LastMessageAt);
        foreach (var message in written.NewMessages)
        {
            Same(message, await Stores.Messages.GetAsync(tenant, message.Id, default));
        }
        Assert.Contains(await Stores.ChatOutbox.FindPendingAsync(DateTimeOffset.MaxValue, 100, default), e => e.ResourceId == chat.Id);
    }

    [SkippableFact]
    public async Task A_recipient_batch_meeting_a_record_that_exists_throws_and_writes_no_message()
    {
        RequireEngine(Batches);
        var taken = await Stores.Customers.CreateAsync(Customer(tenant, "5511933330001"), default);
        var clash = Customer(tenant, "5511933330001");
        var message = Held(tenant, "chat_x", clash.Id);

        var duplicate = await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.RecipientBatches.CreateAsync(
            new RecipientBatch(tenant, [Customer(tenant, "5511933330002"), clash], [], [], [message]), default));

        Assert.Equal("phone", duplicate.Field);
        Assert.Null(await Stores.Messages.GetAsync(tenant, message.Id, default));
        Assert.Equal(taken.Id, Assert.Single(await Stores.Customers.FindByPhonesAsync(tenant, ["5511933330001"], default)).Id);
    }

    [SkippableFact]
    public async Task Events_are_appended_many_at_once_each_once_and_read_many()
    {
        RequireEngine(Batches);
        var first = Event("message.sent", "msg_b1");
        var second = Event("message.delivered", "msg_b1");
        var third = Event("message.read", "msg_b1");

        Assert.Equal([first.Id, second.Id], (await Stores.Events.AppendAsync(tenant, [first, second], default)).Select(e => e.Id));
        // The batch meets an id already logged and goes one by one: only the new event is reported added.
        Assert.Equal([third.Id], (await Stores.Events.AppendAsync(tenant, [second, third], default)).Select(e => e.Id));

        Assert.Equal([first.Id, second.Id, third.Id], (await Stores.Events.ListAsync(tenant, 10, default)).Select(e => e.Id));
        Assert.Equal(new[] { first.Id, third.Id }.Order(), (await Stores.Events.GetManyAsync(tenant, [first.Id, third.Id, "evt_missing"], default)).Select(e => e.Id).Order());
        Assert.Empty(await Stores.Events.GetManyAsync(other, [first.Id], default));
    }

    [SkippableFact]
    public async Task Clearing_many_outboxes_clears_only_records_still_at_their_version()
    {
        RequireEngine(Batches);
        var kept = await Stores.Chats.CreateAsync(OpenChat(tenant, "ch_c", "cust_c1", Event("chat.created", "chat_c1")), default);
        var cleared = await Stores.Chats.CreateAsync(OpenChat(tenant, "ch_c", "cust_c2", Event("chat.created", "chat_c2")), default);
        var newer = await Stores.Chats.ReplaceAsync(kept with { UnreadCount = 2 }, kept.ETag, default);

        await Stores.ChatOutbox.ClearAsync(
            [new OutboxEntry(ChatCommands.Kind, tenant, kept.Id, kept.ETag, kept.Outbox), new OutboxEntry(ChatCommands.Kind, tenant, cleared.Id, cleared.ETag, cleared.Outbox)], default);

        Assert.Single((await Stores.Chats.GetAsync(tenant, kept.Id, default))!.Outbox);
        Assert.Equal(newer.ETag, (await Stores.Chats.GetAsync(tenant, kept.Id, default))!.ETag);
        Assert.Empty((await Stores.Chats.GetAsync(tenant, cleared.Id, default))!.Outbox);
    }

    [SkippableFact]
    public async Task Deliveries_are_created_many_once_and_replaced_many_by_version()
    {
        RequireEngine(Batches);
        WebhookDelivery Delivery(string eventId) => new(
            WebhookDelivery.IdFor("wh_1", eventId), tenant, "wh_1", eventId, "message.sent", DeliveryStatus.Pending, [], T0, null, T0, T0);
        var existing = await Stores.WebhookDeliveries.CreateAsync(Delivery("evt_1"), default);

        var created = await Stores.WebhookDeliveries.CreateManyAsync([Delivery("evt_1"), Delivery("evt_2"), Delivery("evt_3")], default);
        var tried = created.Select(c => c.Delivery with { Status = DeliveryStatus.Succeeded }).ToArray();
        var saved = await Stores.WebhookDeliveries.ReplaceManyAsync(
            [new(tried[0], existing.ETag), new(tried[1], created[1].Delivery.ETag), new(tried[2], "stale")], default);

        Assert.Equal([false, true, true], created.Select(c => c.Created));
        Same(existing, created[0].Delivery);
        Assert.Equal(DeliveryStatus.Succeeded, saved[0]!.Status);
        Same(saved[1], await Stores.WebhookDeliveries.GetAsync(tenant, tried[1].Id, default));
        Assert.Null(saved[2]);
        Assert.Equal(DeliveryStatus.Pending, (await Stores.WebhookDeliveries.GetAsync(tenant, tried[2].Id, default))!.Status);
    }

    [SkippableFact]
    public async Task Rate_limit_counters_take_amounts()
    {
        RequireEngine();
        var counter = $"pace:{Guid.NewGuid():N}";
        var expires = TimeProvider.System.GetUtcNow().AddMinutes(2);

        Assert.Equal(25, await Stores.RateLimits.IncrementAsync(counter, 25, expires, default));
        Assert.Equal(35, await Stores.RateLimits.IncrementAsync(counter, 10, expires, default));
        Assert.Equal(36, await Stores.RateLimits.IncrementAsync(counter, 1, expires, default));
    }
}
