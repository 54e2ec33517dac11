using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Interflow.Core.Telemetry;

/// <summary>
/// The app's telemetry: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <see cref="Name"/>, and
/// the instruments an operator reads. With nothing listening (no exporter configured: a local run, the tests)
/// <c>StartActivity</c> answers null and an instrument does nothing, so none of it costs anything.
/// <para>Nothing here may carry a secret or personal data: spans and metrics get ids, kinds, codes, counts and
/// durations, never a key, a webhook secret, a provider token, message content or a phone number.</para>
/// </summary>
public static class InterflowTelemetry
{
    public const string Name = "Interflow";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Messages by <see cref="Tags.Status"/>: accepted (stored to be sent), sent, delivered, read, failed, received.</summary>
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>(
        "interflow.messages", "{message}", "Messages by status (accepted, sent, delivered, read, failed, received), channel kind and error code");

    public static readonly Histogram<double> ProviderDuration = Meter.CreateHistogram<double>(
        "interflow.provider.duration", "s", "One provider call (WhatsApp Cloud API or the sandbox), by channel kind and outcome");

    public static readonly Histogram<double> SendToSent = Meter.CreateHistogram<double>(
        "interflow.message.send_to_sent", "s", "From a message's creation to its provider's acceptance");

    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "interflow.webhook.deliveries", "{try}", "Webhook tries by outcome: succeeded, failed (another try follows or the endpoint waits), abandoned (no more tries)");

    public static readonly Histogram<double> WebhookDuration = Meter.CreateHistogram<double>(
        "interflow.webhook.duration", "s", "One webhook POST, to the receiver's answer or the timeout");

    public static readonly Counter<long> EndpointChanges = Meter.CreateCounter<long>(
        "interflow.webhook.endpoint.changes", "{change}", "Webhook endpoints going down, answering again, or disabled");

    public static readonly Counter<long> BulkRecipients = Meter.CreateCounter<long>(
        "interflow.bulk.recipients", "{recipient}", "Bulk recipients settled, by outcome: sent, failed, cancelled");

    public static readonly Histogram<double> QueueMessageAge = Meter.CreateHistogram<double>(
        "interflow.queue.message.age", "s", "How long after it was due a queue message began to be handled, by queue");

    public static readonly Counter<long> PoisonAnswers = Meter.CreateCounter<long>(
        "interflow.queue.poison_answers", "{message}", "Queue messages given up on after every later pass: the queue's final answer taken");

    public static readonly Counter<long> RateLimitRefusals = Meter.CreateCounter<long>(
        "interflow.rate_limit.refusals", "{request}", "Requests refused with 429, by plan");

    public static readonly Counter<long> IdempotentReplays = Meter.CreateCounter<long>(
        "interflow.idempotency.replays", "{request}", "Requests answered with the stored answer of an earlier one with the same Idempotency-Key");

    /// <summary>The trace in progress as a W3C <c>traceparent</c>, for work (a queue message, a bulk job) that continues it.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A W3C <c>traceparent</c> as a parent context; default when absent or malformed.</summary>
    public static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    /// <summary>Attribute names: OpenTelemetry's semantic conventions where one fits, <c>interflow.*</c> for the domain's ids.</summary>
    public static class Tags
    {
        public const string Tenant = "interflow.tenant.id";
        public const string RequestId = "interflow.request.id";
        public const string MessageId = "interflow.message.id";
        public const string BulkId = "interflow.bulk.id";
        public const string Chunk = "interflow.bulk.chunk";
        public const string EndpointId = "interflow.webhook.endpoint.id";
        public const string DeliveryId = "interflow.webhook.delivery.id";
        public const string Try = "interflow.webhook.try";
        public const string Attempt = "interflow.message.attempt";
        public const string ChannelKind = "interflow.channel.kind";
        public const string Status = "interflow.message.status";
        public const string Outcome = "interflow.outcome";
        public const string Plan = "interflow.plan";
        public const string State = "interflow.webhook.endpoint.state";
        public const string Count = "interflow.count";
        public const string Queue = "messaging.destination.name";
        public const string MessagingSystem = "messaging.system";
        public const string MessagingOperation = "messaging.operation.type";
        public const string DbSystem = "db.system.name";
        public const string DbOperation = "db.operation.name";
        public const string ErrorType = "error.type";
        public const string HttpMethod = "http.request.method";
        public const string HttpRoute = "http.route";
        public const string HttpStatus = "http.response.status_code";
    }
}
