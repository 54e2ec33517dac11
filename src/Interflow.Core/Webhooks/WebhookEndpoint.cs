using System.Security.Cryptography;
using System.Text;
using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Core.Webhooks;

/// <summary>A subscriber's URL and the events it wants (<c>*</c> for all).</summary>
/// <param name="Secret">The <c>whsec_…</c> signing secret: shown once at creation, never again.</param>
/// <param name="FailingSince">When deliveries to it started failing without a success since; null while healthy.</param>
/// <param name="ProbeAt">
/// Set while the endpoint is down (failed tries in a row): its pending deliveries wait in the store, and at this time the
/// oldest of them probes it; after a probe succeeds it stays set (due now) until what waited is delivered. Null otherwise.
/// </param>
public sealed record WebhookEndpoint(
    string Id,
    Tenant Tenant,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    string Secret,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string ETag = "")
{
    public DateTimeOffset? ProbeAt { get; init; }

    /// <summary>Its deliveries wait in the store instead of being tried one by one.</summary>
    public bool IsDown => ProbeAt is not null;

    public bool Wants(string eventType) => Events.Contains("*") || Events.Contains(eventType);

    /// <summary>Whether a probe message for <paramref name="due"/> is the endpoint's current step (times survive the store to the millisecond).</summary>
    public bool IsStep(DateTimeOffset? due) => ProbeAt is { } at && due is { } d && (at - d).Duration() < TimeSpan.FromMilliseconds(1);

    public override string ToString() => $"WebhookEndpoint {{ Id = {Id}, Url = {Url}, secret hidden }}";
}

public enum DeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>One try: when, the receiver's status code or the error, and how long it took.</summary>
public sealed record DeliveryAttempt(DateTimeOffset At, int? StatusCode, string? Error, long DurationMs);

/// <summary>One event for one endpoint; its id derives from both, so fanning an event out twice creates it once.</summary>
/// <param name="LeaseUntil">No attempt before this: an attempt in flight, or the backoff before the next.</param>
/// <param name="NextAttemptAt">When it is tried next; for a waiting delivery, its endpoint's next probe as it was when it began to wait.</param>
public sealed record WebhookDelivery(
    string Id,
    Tenant Tenant,
    string EndpointId,
    string EventId,
    string EventType,
    DeliveryStatus Status,
    IReadOnlyList<DeliveryAttempt> Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string ETag = "")
{
    /// <summary>
    /// Pending, held in the store while its endpoint is down: no queue message of its own; the endpoint's probe tries
    /// the oldest, and once the endpoint answers, what waits is delivered in order of creation.
    /// </summary>
    public bool Waiting { get; init; }

    public static string IdFor(string endpointId, string eventId) =>
        "dlv_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{endpointId}|{eventId}")))[..24];

    public static WebhookDelivery New(WebhookEndpoint endpoint, DomainEvent domainEvent, DateTimeOffset now) => new(
        IdFor(endpoint.Id, domainEvent.Id), endpoint.Tenant, endpoint.Id, domainEvent.Id, domainEvent.Type,
        DeliveryStatus.Pending, [], now, null, now, now);

    public WebhookDelivery Settled() => this with { Status = DeliveryStatus.Succeeded, NextAttemptAt = null, LeaseUntil = null, Waiting = false };

    /// <param name="reason">Recorded as an attempt that reached no receiver; null when the last attempt says why.</param>
    public WebhookDelivery Failed(string? reason, DateTimeOffset now) => this with
    {
        Status = DeliveryStatus.Failed,
        Attempts = reason is null ? Attempts : [.. Attempts, new DeliveryAttempt(now, null, reason, 0)],
        NextAttemptAt = null,
        LeaseUntil = null,
        Waiting = false,
        UpdatedAt = now,
    };

    /// <summary>Held in the store for its endpoint's probe, due at <paramref name="probeAt"/>.</summary>
    public WebhookDelivery WaitingFor(DateTimeOffset? probeAt) => this with { Waiting = true, NextAttemptAt = probeAt, LeaseUntil = null };
}
