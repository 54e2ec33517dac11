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
    // Webhook requests in flight at once in this process, over every fan-out: enough to keep receivers busy, bounded
    // so that a burst of events cannot open thousands of connections.
    private static readonly SemaphoreSlim Senders = new(32);

    public static string DeliveryId(string endpointId, string eventId) =>
        "dlv_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{endpointId}|{eventId}")))[..24];

    /// <summary>
    /// The fan-out queue's handler, for a relay's batch of events: one delivery per enabled endpoint of the tenant
    /// that wants each event, created in one write, and their first tries made here, one HTTP request per event, the
    /// outcomes saved in one write. The fan-out's queue message is their safety net: a crash before the outcomes are
    /// saved redelivers it, and the deliveries it finds untried go through the attempt queue once their hold ends.
    /// Only retries get a queue message of their own.
    /// </summary>
    public async Task FanOutAsync(WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var events = await log.GetManyAsync(work.Tenant, work.EventIds, cancellationToken);
        var subscribed = (await endpoints.ListAsync(work.Tenant, cancellationToken)).Where(e => e.Enabled).ToArray();
        var now = clock.GetUtcNow();
        var wanted = (from domainEvent in events
                      from endpoint in subscribed
                      where endpoint.Wants(domainEvent.Type)
                      select New(endpoint, domainEvent, now) with { LeaseUntil = now + options.Lease }).ToArray();
        if (wanted.Length == 0)
        {
            return;
        }
        var stored = await deliveries.CreateManyAsync(wanted, cancellationToken);
        foreach (var (existing, _) in stored.Where(s => !s.Created && s.Delivery is { Status: DeliveryStatus.Pending, Attempts.Count: 0 }))
        {
            // A repeated fan-out (a crash, a redelivered message): the attempt queue tries it once its hold ends.
            var hold = existing.LeaseUntil is { } until && until > now ? until - now : TimeSpan.Zero;
            await queue.EnqueueAsync(Work(existing), hold, cancellationToken);
        }
        var held = stored.Where(s => s.Created).Select(s => s.Delivery).ToArray();
        var endpointsById = subscribed.ToDictionary(e => e.Id);
        var eventsById = events.ToDictionary(e => e.Id);
        var tried = await Task.WhenAll(held.Select(async delivery =>
        {
            await Senders.WaitAsync(cancellationToken);
            try
            {
                return await TryAsync(delivery, endpointsById[delivery.EndpointId], eventsById[delivery.EventId], ignoreDisabled: false, cancellationToken);
            }
            finally
            {
                Senders.Release();
            }
        }));
        var saved = await deliveries.ReplaceManyAsync([.. held.Select((d, i) => new VersionedWrite<WebhookDelivery>(tried[i], d.ETag))], cancellationToken);
        if (saved.Any(s => s is null))
        {
            logger.LogWarning("{Count} webhook deliveries changed while their first try was in flight", saved.Count(s => s is null));
        }
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
        var endpoint = await endpoints.GetAsync(held.Tenant, held.EndpointId, cancellationToken);
        var domainEvent = await log.GetAsync(held.Tenant, held.EventId, cancellationToken);
        return await deliveries.ReplaceAsync(await TryAsync(held, endpoint, domainEvent, ignoreDisabled, cancellationToken), held.ETag, cancellationToken);
    }

    /// <summary>One try of a held delivery: the delivery as it is to be saved. The next retry is enqueued before that save.</summary>
    private async Task<WebhookDelivery> TryAsync(
        WebhookDelivery held, WebhookEndpoint? endpoint, DomainEvent? domainEvent, bool ignoreDisabled, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (endpoint is null || domainEvent is null || (!endpoint.Enabled && !ignoreDisabled))
        {
            var reason = endpoint is null ? "endpoint deleted" : domainEvent is null ? "event not found" : "endpoint disabled";
            return held with
            {
                Status = DeliveryStatus.Failed,
                Attempts = [.. held.Attempts, new DeliveryAttempt(now, null, reason, 0)],
                NextAttemptAt = null,
                LeaseUntil = null,
                UpdatedAt = now,
            };
        }
        var outcome = await sender.SendAsync(endpoint, domainEvent.Id, serializer.EventBody(domainEvent), cancellationToken);
        var attempts = held.Attempts.Append(new DeliveryAttempt(now, outcome.StatusCode, outcome.Error, outcome.DurationMs)).ToList();
        if (outcome.Succeeded)
        {
            if (endpoint.FailingSince is not null || !endpoint.Enabled)
            {
                await MarkEndpointAsync(held.Tenant, held.EndpointId, e => e with { FailingSince = null, Enabled = true, DisabledReason = null }, e => e.FailingSince is not null || !e.Enabled, cancellationToken);
            }
            return held with { Status = DeliveryStatus.Succeeded, Attempts = attempts, NextAttemptAt = null, LeaseUntil = null, UpdatedAt = now };
        }
        if (attempts.Count <= options.Delays.Count)
        {
            var wait = options.Delays[attempts.Count - 1];
            await queue.EnqueueAsync(Work(held), wait, cancellationToken);
            await MarkEndpointAsync(held.Tenant, held.EndpointId, e => e with { FailingSince = now }, e => e.FailingSince is null, cancellationToken);
            return held with { Attempts = attempts, NextAttemptAt = now + wait, LeaseUntil = now + wait, UpdatedAt = now };
        }
        // Failing without a single success for this delivery's whole schedule: stop sending to it.
        await MarkEndpointAsync(
            held.Tenant, held.EndpointId,
            e => e with { Enabled = false, DisabledReason = "failed for the whole retry schedule", FailingSince = e.FailingSince ?? now },
            e => e.Enabled && (e.FailingSince is null || e.FailingSince <= attempts[0].At),
            cancellationToken);
        logger.LogWarning("Webhook delivery {DeliveryId} failed after {Attempts} attempts", held.Id, attempts.Count);
        return held with { Status = DeliveryStatus.Failed, Attempts = attempts, NextAttemptAt = null, LeaseUntil = null, UpdatedAt = now };
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

    private static WebhookDelivery New(WebhookEndpoint endpoint, DomainEvent domainEvent, DateTimeOffset now) => new(
        DeliveryId(endpoint.Id, domainEvent.Id), endpoint.Tenant, endpoint.Id, domainEvent.Id, domainEvent.Type,
        DeliveryStatus.Pending, [], now, null, now, now);

    private static WebhookAttemptWork Work(WebhookDelivery delivery) =>
        new(delivery.Tenant.AccountId, delivery.Tenant.Environment.ToName(), delivery.Id);
}
