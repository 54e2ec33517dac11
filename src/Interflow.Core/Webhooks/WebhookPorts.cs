using System.Text.Json.Serialization;
using System.Net;
using Interflow.Core.Accounts;

namespace Interflow.Core.Webhooks;

/// <summary>Work on the webhook queues: ids only, the rest is in the store. A fan-out carries a relay's whole batch of events.</summary>
public sealed record WebhookFanoutWork(string AccountId, string Environment, IReadOnlyList<string> EventIds)
{
    // Derived from the ids: queue messages and activity inputs carry ids only.
    [JsonIgnore]
    public Tenant Tenant => new(AccountId, ApiEnvironmentNames.Parse(Environment));
}

public sealed record WebhookAttemptWork(string AccountId, string Environment, string DeliveryId)
{
    // Derived from the ids: queue messages and activity inputs carry ids only.
    [JsonIgnore]
    public Tenant Tenant => new(AccountId, ApiEnvironmentNames.Parse(Environment));

    public static WebhookAttemptWork For(WebhookDelivery delivery) =>
        new(delivery.Tenant.AccountId, delivery.Tenant.Environment.ToName(), delivery.Id);
}

/// <summary>Work for an endpoint that is down: probe it with its oldest waiting delivery, or deliver what waited.</summary>
/// <param name="Due">The endpoint's <see cref="WebhookEndpoint.ProbeAt"/> this message was sent for: a message for any other time is a spare.</param>
public sealed record WebhookProbeWork(string AccountId, string Environment, string EndpointId, DateTimeOffset Due)
{
    // Derived from the ids: queue messages and activity inputs carry ids only.
    [JsonIgnore]
    public Tenant Tenant => new(AccountId, ApiEnvironmentNames.Parse(Environment));

    public static WebhookProbeWork For(Tenant tenant, string endpointId, DateTimeOffset due) =>
        new(tenant.AccountId, tenant.Environment.ToName(), endpointId, due);
}

public interface IWebhookQueue
{
    /// <summary>Enqueues the fan-out in as few queue messages as fit (a queue message holds 64 KiB).</summary>
    /// <param name="delay">Zero from a relay; a repeated fan-out's second look at deliveries another try holds, once the hold ends.</param>
    Task EnqueueAsync(WebhookFanoutWork work, TimeSpan delay, CancellationToken cancellationToken);

    /// <param name="delay">The retry's backoff: the queue message stays invisible this long.</param>
    Task EnqueueAsync(WebhookAttemptWork work, TimeSpan delay, CancellationToken cancellationToken);

    /// <param name="delay">Until the probe is due.</param>
    Task EnqueueAsync(WebhookProbeWork work, TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>What a receiver answered, or why there was no answer.</summary>
public sealed record SendOutcome(int? StatusCode, string? Error, long DurationMs)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>Posts one signed event to one endpoint; never throws for network or receiver failures.</summary>
public interface IWebhookSender
{
    Task<SendOutcome> SendAsync(WebhookEndpoint endpoint, string eventId, byte[] body, CancellationToken cancellationToken);
}

/// <summary>Name resolution, a port so that the SSRF checks can be tested with names that resolve anywhere.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
