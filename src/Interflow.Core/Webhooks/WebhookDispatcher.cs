using System.Security.Cryptography;
using System.Text;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Webhooks;

/// <summary>
/// Fans events out to subscribed endpoints and makes the delivery attempts, from the webhook queues.
/// <para>At least once, never silently dropped: a delivery is stored before its first attempt is enqueued; each
/// attempt claims the delivery (a lease) and enqueues a check for when the lease ends before it calls out, so a
/// crash anywhere is followed by another attempt; the next retry is enqueued before the outcome is saved. A
/// delivery keeps its event's id (<c>webhook-id</c>) on every try, so receivers de-duplicate by it.</para>
/// </summary>
public sealed class WebhookDispatcher(
    IEventLog log,
    IWebhookEndpointStore endpoints,
    IWebhookDeliveryStore deliveries,
    IWebhookQueue queue,
    IWebhookSender sender,
    IResourceSerializer serializer,
    WebhookOptions options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
{
    public static string DeliveryId(string endpointId, string eventId) =>
        "dlv_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{endpointId}|{eventId}")))[..24];

    /// <summary>The fan-out queue's handler: one delivery per enabled endpoint of the tenant that wants the event.</summary>
    public async Task FanOutAsync(WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var domainEvent = await log.GetAsync(work.Tenant, work.EventId, cancellationToken);
        if (domainEvent is null)
        {
            return;
        }
        foreach (var endpoint in await endpoints.ListAsync(work.Tenant, cancellationToken))
        {
            if (endpoint.Enabled && endpoint.Wants(domainEvent.Type))
            {
                await CreateAndEnqueueAsync(endpoint, domainEvent, cancellationToken);
            }
        }
    }

    /// <summary>Stores the delivery (once) and enqueues its first attempt; a repeat re-enqueues one not yet tried.</summary>
    public async Task<WebhookDelivery> CreateAndEnqueueAsync(WebhookEndpoint endpoint, DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery(
            DeliveryId(endpoint.Id, domainEvent.Id), endpoint.Tenant, endpoint.Id, domainEvent.Id, domainEvent.Type,
            DeliveryStatus.Pending, [], now, null, now, now);
        try
        {
            delivery = await deliveries.CreateAsync(delivery, cancellationToken);
        }
        catch (DuplicateValueException)
        {
            delivery = await deliveries.GetAsync(endpoint.Tenant, delivery.Id, cancellationToken) ?? delivery;
            if (delivery.Status != DeliveryStatus.Pending || delivery.Attempts.Count > 0)
            {
                return delivery;
            }
        }
        await queue.EnqueueAsync(Work(delivery), TimeSpan.Zero, cancellationToken);
        return delivery;
    }

    /// <summary>An attempt message the host gave up on: the delivery is failed, never left pending.</summary>
    public async Task AbandonAsync(WebhookAttemptWork work, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(work.Tenant, work.DeliveryId, cancellationToken);
        if (delivery is { Status: DeliveryStatus.Pending })
        {
            var now = clock.GetUtcNow();
            await deliveries.ReplaceAsync(delivery with
            {
                Status = DeliveryStatus.Failed,
                Attempts = [.. delivery.Attempts, new DeliveryAttempt(now, null, "abandoned after repeated processing failures", 0)],
                NextAttemptAt = null,
                LeaseUntil = null,
                UpdatedAt = now,
            }, delivery.ETag, cancellationToken);
        }
    }

    /// <summary>The attempt queue's handler.</summary>
    public async Task AttemptAsync(WebhookAttemptWork work, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(work.Tenant, work.DeliveryId, cancellationToken);
        if (delivery is null || delivery.Status != DeliveryStatus.Pending)
        {
            return;
        }
        var now = clock.GetUtcNow();
        if (delivery.LeaseUntil is { } until && until > now + TimeSpan.FromSeconds(1))
        {
            await queue.EnqueueAsync(work, until - now, cancellationToken);
            return;
        }
        WebhookDelivery held;
        try
        {
            held = await deliveries.ReplaceAsync(delivery with { LeaseUntil = now + options.Lease, UpdatedAt = now }, delivery.ETag, cancellationToken);
        }
        catch (VersionMismatchException)
        {
            return;
        }
        await queue.EnqueueAsync(work, options.Lease, cancellationToken);
        await AttemptHeldAsync(held, ignoreDisabled: false, cancellationToken);
    }

    /// <summary>Tries a delivery this caller holds, records the try, and schedules the next or settles it.</summary>
    /// <param name="ignoreDisabled">For the test ping, which is how a disabled endpoint proves itself healthy again.</param>
    public async Task<WebhookDelivery> AttemptHeldAsync(WebhookDelivery held, bool ignoreDisabled, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var endpoint = await endpoints.GetAsync(held.Tenant, held.EndpointId, cancellationToken);
        var domainEvent = await log.GetAsync(held.Tenant, held.EventId, cancellationToken);
        if (endpoint is null || domainEvent is null || (!endpoint.Enabled && !ignoreDisabled))
        {
            var reason = endpoint is null ? "endpoint deleted" : domainEvent is null ? "event not found" : "endpoint disabled";
            return await deliveries.ReplaceAsync(held with
            {
                Status = DeliveryStatus.Failed,
                Attempts = [.. held.Attempts, new DeliveryAttempt(now, null, reason, 0)],
                NextAttemptAt = null,
                LeaseUntil = null,
                UpdatedAt = now,
            }, held.ETag, cancellationToken);
        }
        var outcome = await sender.SendAsync(endpoint, domainEvent.Id, serializer.EventBody(domainEvent), cancellationToken);
        var attempts = held.Attempts.Append(new DeliveryAttempt(now, outcome.StatusCode, outcome.Error, outcome.DurationMs)).ToList();
        WebhookDelivery next;
        if (outcome.Succeeded)
        {
            next = held with { Status = DeliveryStatus.Succeeded, Attempts = attempts, NextAttemptAt = null, LeaseUntil = null, UpdatedAt = now };
            await MarkEndpointAsync(held.Tenant, held.EndpointId, e => e with { FailingSince = null, Enabled = true, DisabledReason = null }, e => e.FailingSince is not null || !e.Enabled, cancellationToken);
        }
        else if (attempts.Count <= options.Delays.Count)
        {
            var wait = options.Delays[attempts.Count - 1];
            await queue.EnqueueAsync(Work(held), wait, cancellationToken);
            next = held with { Attempts = attempts, NextAttemptAt = now + wait, LeaseUntil = now + wait, UpdatedAt = now };
            await MarkEndpointAsync(held.Tenant, held.EndpointId, e => e with { FailingSince = now }, e => e.FailingSince is null, cancellationToken);
        }
        else
        {
            next = held with { Status = DeliveryStatus.Failed, Attempts = attempts, NextAttemptAt = null, LeaseUntil = null, UpdatedAt = now };
            // Failing without a single success for this delivery's whole schedule: stop sending to it.
            await MarkEndpointAsync(
                held.Tenant, held.EndpointId,
                e => e with { Enabled = false, DisabledReason = "failed for the whole retry schedule", FailingSince = e.FailingSince ?? now },
                e => e.Enabled && (e.FailingSince is null || e.FailingSince <= attempts[0].At),
                cancellationToken);
            logger.LogWarning("Webhook delivery {DeliveryId} failed after {Attempts} attempts", held.Id, attempts.Count);
        }
        return await deliveries.ReplaceAsync(next, held.ETag, cancellationToken);
    }

    private async Task MarkEndpointAsync(
        Tenant tenant, string id, Func<WebhookEndpoint, WebhookEndpoint> change, Func<WebhookEndpoint, bool> needed, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var endpoint = await endpoints.GetAsync(tenant, id, cancellationToken);
            if (endpoint is null || !needed(endpoint))
            {
                return;
            }
            try
            {
                await endpoints.ReplaceAsync(change(endpoint) with { UpdatedAt = clock.GetUtcNow() }, endpoint.ETag, cancellationToken);
                return;
            }
            catch (VersionMismatchException)
            {
            }
            catch (NotFoundException)
            {
                return; // Deleted meanwhile: nothing left to mark.
            }
        }
    }

    private static WebhookAttemptWork Work(WebhookDelivery delivery) =>
        new(delivery.Tenant.AccountId, delivery.Tenant.Environment.ToName(), delivery.Id);
}
