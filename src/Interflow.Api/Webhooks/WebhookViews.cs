using Interflow.Api.OpenApi;
using Interflow.Core;
using Interflow.Core.Webhooks;

namespace Interflow.Api.Webhooks;

/// <summary>An endpoint as lists and reads show it: never its secret.</summary>
public sealed record WebhookView(
    string Id, string Url, [property: EventType(OrEvery = true)] IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookView From(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Events, e.Description, e.Enabled, e.DisabledReason, e.CreatedAt, e.UpdatedAt);
}

/// <summary>An endpoint at creation: the one response with its <c>whsec_</c> secret.</summary>
public sealed record CreatedWebhookView(
    string Id, string Url, [property: EventType(OrEvery = true)] IReadOnlyList<string> Events, string? Description, bool Enabled, string Secret, DateTimeOffset CreatedAt);

public sealed record AttemptView(DateTimeOffset At, int? StatusCode, string? Error, long DurationMs);

public sealed record DeliveryView(
    string Id, string WebhookId, string EventId, [property: EventType(OrTest = true)] string EventType, [property: EnumOf(typeof(DeliveryStatus))] string Status, IReadOnlyList<AttemptView> Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <param name="endpoint">Its endpoint as it is now: a delivery waiting for it is tried at the endpoint's next probe.</param>
    public static DeliveryView From(WebhookDelivery d, WebhookEndpoint? endpoint = null) => new(
        d.Id, d.EndpointId, d.EventId, d.EventType, EnumNames.Name(d.Status),
        d.Attempts.Select(a => new AttemptView(a.At, a.StatusCode, a.Error, a.DurationMs)).ToArray(),
        d.Status != DeliveryStatus.Pending ? null : d.Waiting && endpoint?.ProbeAt is { } probe ? probe : d.NextAttemptAt,
        d.CreatedAt, d.UpdatedAt);
}
