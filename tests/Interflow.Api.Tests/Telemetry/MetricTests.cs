using Interflow.Core.Telemetry;
using static Interflow.Core.Telemetry.InterflowTelemetry.Tags;

namespace Interflow.Api.Tests.Telemetry;

/// <summary>The instruments after a known workload (<see cref="TelemetryWorkload"/>): the counts it implies, exactly.</summary>
[Collection(TelemetryWorkloadCollection.Name)]
public sealed class MetricTests(TelemetryWorkload workload)
{
    private const int SandboxSent = TelemetryWorkload.ReadSends + TelemetryWorkload.BulkRecipients;

    private long Messages(string status, string kind) => workload.Capture.Sum("interflow.messages", (Status, status), (ChannelKind, kind));

    [Fact]
    public void Messages_are_counted_once_per_change_by_status_and_channel_kind()
    {
        Assert.Equal(SandboxSent + 1, Messages(MessageCounts.Accepted, "sandbox"));
        Assert.Equal(1, Messages(MessageCounts.Accepted, "whatsapp_cloud"));
        Assert.Equal(SandboxSent, Messages("sent", "sandbox"));
        Assert.Equal(1, Messages("sent", "whatsapp_cloud"));
        Assert.Equal(SandboxSent, Messages("delivered", "sandbox"));
        Assert.Equal(SandboxSent, Messages("read", "sandbox"));
        Assert.Equal(1, workload.Capture.Sum("interflow.messages", (Status, "failed"), (ChannelKind, "sandbox"), (ErrorType, "SANDBOX_REJECTED")));
        Assert.Equal(0, Messages("received", "sandbox"));
    }

    [Fact]
    public void Provider_calls_and_send_to_sent_are_measured_once_per_call_and_per_sent_message()
    {
        Assert.Equal(SandboxSent + 1, workload.Capture.Recordings("interflow.provider.duration", (ChannelKind, "sandbox")));
        Assert.Equal(1, workload.Capture.Recordings("interflow.provider.duration", (ChannelKind, "sandbox"), (Outcome, "rejected")));
        Assert.Equal(1, workload.Capture.Recordings("interflow.provider.duration", (ChannelKind, "whatsapp_cloud"), (Outcome, "accepted")));
        Assert.Equal(SandboxSent + 1, workload.Capture.Recordings("interflow.message.send_to_sent"));
    }

    [Fact]
    public void Webhook_deliveries_bulk_recipients_replays_and_refusals_match_the_workload()
    {
        Assert.Equal(workload.Receiver.Succeeded.Count(), workload.Capture.Sum("interflow.webhook.deliveries", (Outcome, "succeeded")));
        Assert.Equal(0, workload.Capture.Sum("interflow.webhook.deliveries", (Outcome, "failed")));
        Assert.Equal(workload.Receiver.Succeeded.Count(), workload.Capture.Recordings("interflow.webhook.duration"));
        Assert.Equal(TelemetryWorkload.BulkRecipients, workload.Capture.Sum("interflow.bulk.recipients", (Outcome, "sent")));
        Assert.Equal(1, workload.Capture.Sum("interflow.idempotency.replays"));
        Assert.True(workload.Refusals > 0, "the starter account was never refused");
        Assert.Equal(workload.Refusals, workload.Capture.Sum("interflow.rate_limit.refusals", (Plan, "starter")));
        Assert.Equal(0, workload.Capture.Sum("interflow.queue.poison_answers"));
        Assert.Equal(0, workload.Capture.Sum("interflow.webhook.endpoint.changes"));
    }

    [Fact]
    public void Queue_messages_are_aged_at_dequeue_by_queue()
    {
        // The sends' safety checks (one per send), and the bulk job's two chunks at least once each.
        Assert.True(workload.Capture.Recordings("interflow.queue.message.age", (Queue, Infrastructure.Queues.QueueNames.Outbound)) >= TelemetryWorkload.ReadSends + 2);
        Assert.True(workload.Capture.Recordings("interflow.queue.message.age", (Queue, Infrastructure.Queues.QueueNames.BulkChunks)) >= 2);
    }
}
