using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Messages;

namespace Interflow.Core.Tests;

/// <summary>Status reports give the same message whatever order they are applied in: batches are applied side by side, and providers report out of order.</summary>
public sealed class MessageTransitionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MessageTransitions Transitions = new(new EventFactory(new JsonResources()));

    private sealed class JsonResources : IResourceSerializer
    {
        public JsonElement Serialize(object resource) => JsonSerializer.SerializeToElement(resource, resource.GetType());

        public byte[] EventBody(DomainEvent domainEvent) => JsonSerializer.SerializeToUtf8Bytes(domainEvent);
    }

    private static Message Sent() => new(
        "msg_1", new Tenant("acc_1", ApiEnvironment.Live), "ch_1", "chat_1", "cust_1", MessageDirection.Outbound, "5511987654321",
        MessageType.Text, JsonSerializer.SerializeToElement(new { text = "Oi" }), null, MessageStatus.Sent, null, "wamid.1",
        T0, T0, T0, null, null, null, 1, null, []);

    private static readonly (MessageStatus Status, DateTimeOffset At)[] Reports =
    [
        (MessageStatus.Delivered, T0.AddSeconds(2)), (MessageStatus.Failed, T0.AddSeconds(9)), (MessageStatus.Read, T0.AddSeconds(5)),
        (MessageStatus.Sent, T0.AddSeconds(1)), (MessageStatus.Read, T0.AddSeconds(5)),
    ];

    private static IEnumerable<T[]> Permutations<T>(T[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (T[])[item, .. rest]));

    [Fact]
    public void Every_order_of_the_same_reports_gives_the_same_message_and_never_repeats_an_event()
    {
        var outcomes = Permutations(Reports)
            .Select(order => order.Aggregate(Sent(), (message, report) => Transitions.Apply(message, report.Status, report.At)))
            .ToArray();

        var state = Assert.Single(outcomes.Select(m => (m.Status, m.SentAt, m.DeliveredAt, m.ReadAt, m.FailedAt, m.Error)).Distinct());
        Assert.Equal((MessageStatus.Read, T0, T0.AddSeconds(2), T0.AddSeconds(5), (DateTimeOffset?)null, (MessageError?)null), state);
        // Events record what was known when: a failure applied before the delivery was announced, and cannot be taken back.
        Assert.All(outcomes, m =>
        {
            Assert.Single(m.Outbox, e => e.Type == EventTypes.MessageDelivered);
            Assert.Single(m.Outbox, e => e.Type == EventTypes.MessageRead);
            Assert.InRange(m.Outbox.Count(e => e.Type == EventTypes.MessageFailed), 0, 1);
        });
    }

    [Fact]
    public void A_failure_reported_before_any_delivery_sticks_and_a_late_delivery_proves_it_wrong()
    {
        var failed = Transitions.Apply(Sent(), MessageStatus.Failed, T0.AddSeconds(3), new MessageError("WHATSAPP_131026", "undeliverable"));
        var resent = Transitions.Apply(failed, MessageStatus.Sent, T0.AddSeconds(4));
        var delivered = Transitions.Apply(failed, MessageStatus.Delivered, T0.AddSeconds(2));

        Assert.Equal((MessageStatus.Failed, "WHATSAPP_131026"), (failed.Status, failed.Error!.Code));
        Assert.Same(failed, resent);
        Assert.Equal((MessageStatus.Delivered, null, null), (delivered.Status, delivered.Error, delivered.FailedAt));
        Assert.Equal([EventTypes.MessageFailed, EventTypes.MessageDelivered], delivered.Outbox.Select(e => e.Type));
    }
}
