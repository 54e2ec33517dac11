using System.Text.Json;
using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <param name="Events">Event types (customer.created, message.delivered, …), or <c>*</c> for every one.</param>
/// <param name="DisabledReason">Why the API disabled the endpoint (every try of a whole retry schedule failed).</param>
public sealed record Webhook(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : ApiResource;

/// <summary>An endpoint just created: the one answer carrying its secret, for a <see cref="WebhookVerifier"/>.</summary>
public sealed record CreatedWebhook(string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string Secret, DateTimeOffset CreatedAt) : ApiResource;

/// <param name="Url">https, to a public address.</param>
public sealed record NewWebhook(string Url, IReadOnlyList<string> Events, string? Description = null);

/// <param name="Enabled">false pauses deliveries; true (or a successful test ping) resumes them.</param>
public sealed record WebhookChanges(string? Url = null, IReadOnlyList<string>? Events = null, string? Description = null, bool? Enabled = null);

/// <param name="Status">pending, succeeded or failed.</param>
/// <param name="NextAttemptAt">While pending: when the next try is due.</param>
public sealed record WebhookDelivery(
    string Id, string WebhookId, string EventId, string EventType, string Status, IReadOnlyList<DeliveryAttempt> Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : ApiResource;

/// <param name="StatusCode">The receiver's answer, or null when there was none (<paramref name="Error"/> says why).</param>
public sealed record DeliveryAttempt(DateTimeOffset At, int? StatusCode, string? Error, long DurationMs);

/// <summary>What a webhook delivers: the event, its type, when it happened, and the resource as the API shows it.</summary>
public sealed record WebhookEvent(string Id, string Type, DateTimeOffset CreatedAt, JsonElement Data);
