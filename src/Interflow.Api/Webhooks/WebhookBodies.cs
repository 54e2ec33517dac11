using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Interflow.Api.OpenApi;

namespace Interflow.Api.Webhooks;

// The documented shapes of the webhook bodies; WebhooksApi's handlers validate them.

public sealed record NewWebhookBody(
    [property: Required, Length(1, 2048), Url, Description("https, to a public address (plain http to loopback only when the app runs locally)")] string Url,
    [property: Required, Length(1, 12), EventType(OrEvery = true)] IReadOnlyList<string> Events,
    [property: Length(1, 500)] string? Description);

public sealed record WebhookChangesBody(
    [property: Length(1, 2048), Url] string? Url,
    [property: Length(1, 12), EventType(OrEvery = true)] IReadOnlyList<string>? Events,
    [property: Length(1, 500)] string? Description,
    [property: Description("false pauses deliveries; true (or a successful test ping) resumes them")] bool? Enabled);
