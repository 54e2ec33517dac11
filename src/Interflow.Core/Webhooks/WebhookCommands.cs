using System.Security.Cryptography;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Core.Webhooks;

/// <summary>
/// Subscriptions: create (the secret is returned this once), update, delete, and the test ping. URLs come checked
/// by <see cref="WebhookUrlPolicy"/> (the API reports a refused URL with the request's other errors); the sender
/// checks the address again on every delivery.
/// </summary>
public sealed class WebhookCommands(
    IWebhookEndpointStore endpoints, IWebhookDeliveryStore deliveries, IEventLog log, DeliveryTries tries, TimeProvider clock)
{
    public const string TestEventType = "webhook.test";

    public async Task<WebhookEndpoint> CreateAsync(Tenant tenant, string url, IReadOnlyList<string> events, string? description, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var endpoint = new WebhookEndpoint(
            Ids.New("wh"), tenant, url, events, description, "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            Enabled: true, DisabledReason: null, FailingSince: null, now, now);
        return await endpoints.CreateAsync(endpoint, cancellationToken);
    }

    /// <summary>Re-enabling clears the failure streak, so the endpoint gets a whole schedule again.</summary>
    public async Task<WebhookEndpoint> UpdateAsync(
        Tenant tenant, string id, Optional<string> url, Optional<IReadOnlyList<string>> events, Optional<string?> description, Optional<bool> enabled,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await endpoints.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
            var reenabled = enabled.IsSet && enabled.Value && !current.Enabled;
            var updated = current with
            {
                Url = url.Or(current.Url),
                Events = events.Or(current.Events),
                Description = description.Or(current.Description),
                Enabled = enabled.Or(current.Enabled),
                DisabledReason = enabled.IsSet ? (enabled.Value ? null : "disabled by the account") : current.DisabledReason,
                FailingSince = reenabled ? null : current.FailingSince,
                UpdatedAt = clock.GetUtcNow(),
            };
            try
            {
                return await endpoints.ReplaceAsync(updated, current.ETag, cancellationToken);
            }
            catch (VersionMismatchException) when (attempt < 5)
            {
            }
        }
    }

    public async Task DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        if (!await endpoints.DeleteAsync(tenant, id, cancellationToken))
        {
            throw new NotFoundException();
        }
    }

    /// <summary>Sends a <c>webhook.test</c> event to this endpoint now, even when disabled; a success enables it again.</summary>
    public async Task<WebhookDelivery> TestAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
        var now = clock.GetUtcNow();
        var domainEvent = new DomainEvent(Ids.New("evt"), TestEventType, now, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["webhook_id"] = endpoint.Id }));
        await log.AppendAsync(tenant, [domainEvent], cancellationToken);
        var delivery = await deliveries.CreateAsync(new WebhookDelivery(
            WebhookDelivery.IdFor(endpoint.Id, domainEvent.Id), tenant, endpoint.Id, domainEvent.Id, domainEvent.Type,
            DeliveryStatus.Pending, [], now, now + TimeSpan.FromMinutes(1), now, now), cancellationToken);
        // A ping is one try: the caller sees the outcome and decides; no retries are left behind.
        return await tries.PingAsync(endpoint, delivery, domainEvent, cancellationToken);
    }
}
