using Interflow.Core.Events;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Webhooks;

/// <summary>
/// The fan-out queue's handler, for a relay's batch of events: one delivery per enabled endpoint of the tenant that
/// wants each event, stored before anything is tried, and their first tries made here. At least once, never silently
/// dropped: the fan-out's queue message is the safety net of its first tries. Pinned by <c>WebhookDeliveryTests</c>
/// (signing, tenants apart, repeated fan-outs) and <c>WebhookSafetyTests</c> (a dispatch that died with the process).
/// </summary>
public sealed class WebhookFanOut(
    IEventLog log,
    IWebhookEndpointStore endpoints,
    IWebhookDeliveryStore deliveries,
    IWebhookQueue queue,
    DeliveryTries tries,
    EndpointProbes probes,
    WebhookOptions options,
    TimeProvider clock,
    ILogger<WebhookFanOut> logger)
{
    /// <summary>
    /// The deliveries created in one write, the outcomes of their first tries saved in one write. To an endpoint that is
    /// down the deliveries are stored waiting, untried. To the others the first tries go one at a time until the
    /// endpoint answers (so a dead receiver costs <see cref="EndpointHealth.DownAfter"/> tries, not one per event),
    /// then side by side. A crash before the outcomes are saved redelivers the message, and the deliveries it finds
    /// untried go through the attempt queue once their hold ends.
    /// </summary>
    public async Task FanOutAsync(WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var (events, subscribed, pairs) = await SubscriptionsAsync(work, cancellationToken);
        var now = clock.GetUtcNow();
        var wanted = pairs.Select(p => p.Endpoint.IsDown
            ? WebhookDelivery.New(p.Endpoint, p.Event, now) with { Waiting = true, NextAttemptAt = p.Endpoint.ProbeAt }
            : WebhookDelivery.New(p.Endpoint, p.Event, now) with { LeaseUntil = now + options.Lease }).ToArray();
        if (wanted.Length == 0)
        {
            return;
        }
        var stored = await deliveries.CreateManyAsync(wanted, cancellationToken);
        var untried = stored.Where(s => !s.Created && s.Delivery is { Status: DeliveryStatus.Pending, Attempts.Count: 0, Waiting: false }).Select(s => s.Delivery).ToArray();
        await LookAgainAsync(work, untried, now, cancellationToken);
        var created = stored.Where(s => s.Created).Select(s => s.Delivery).ToArray();
        var endpointsById = subscribed.ToDictionary(e => e.Id);
        var eventsById = events.ToDictionary(e => e.Id);
        var tried = new List<(WebhookDelivery Held, WebhookDelivery Saved)>();
        foreach (var group in created.Where(d => !d.Waiting).GroupBy(d => d.EndpointId))
        {
            var outcomes = await tries.TryInOrderAsync(endpointsById[group.Key], [.. group], eventsById, cancellationToken);
            tried.AddRange(group.Zip(outcomes));
        }
        var saved = await deliveries.ReplaceManyAsync([.. tried.Select(t => new VersionedWrite<WebhookDelivery>(t.Saved, t.Held.ETag))], cancellationToken);
        if (saved.Any(s => s is null))
        {
            logger.LogWarning("{Count} webhook deliveries changed while their first try was in flight", saved.Count(s => s is null));
        }
        foreach (var endpointId in created.Where(d => d.Waiting).Concat(tried.Select(t => t.Saved).Where(d => d.Waiting)).Select(d => d.EndpointId).Distinct())
        {
            await probes.EnsureNextStepAsync(work.Tenant, endpointId, cancellationToken);
        }
    }

    /// <summary>
    /// The final answer for a fan-out given up on, after its later passes: its deliveries are recorded failed, untried,
    /// with the reason, so that each subscriber's delivery log says what it did not get and why.
    /// </summary>
    public async Task AbandonAsync(WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var (_, _, pairs) = await SubscriptionsAsync(work, cancellationToken);
        var now = clock.GetUtcNow();
        var failed = pairs.Select(p => WebhookDelivery.New(p.Endpoint, p.Event, now).Failed("fan-out abandoned after repeated processing failures", now)).ToArray();
        var stored = await deliveries.CreateManyAsync(failed, cancellationToken);
        foreach (var (existing, _) in stored.Where(s => !s.Created && s.Delivery is { Status: DeliveryStatus.Pending, Attempts.Count: 0, Waiting: false }))
        {
            // Stored by a pass before it failed: it exists, so the attempt queue can still deliver it.
            await queue.EnqueueAsync(WebhookAttemptWork.For(existing), TimeSpan.Zero, cancellationToken);
        }
    }

    /// <summary>
    /// A repeated fan-out found deliveries stored and not yet tried. Those whose hold has ended were held by a try that
    /// died (this message redelivered after a crash): the attempt queue takes each now. Those still held are being tried
    /// by another fan-out of the same events (a record relayed again before its outbox was cleared, which happens under
    /// load when a status report lands first): one look at them after the longest hold, not a message for each,
    /// finds them tried or, if that try died too, hands them on.
    /// </summary>
    private async Task LookAgainAsync(WebhookFanoutWork work, IReadOnlyList<WebhookDelivery> untried, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = untried.Where(d => d.LeaseUntil > now).ToArray();
        foreach (var expired in untried.Except(held))
        {
            await queue.EnqueueAsync(WebhookAttemptWork.For(expired), TimeSpan.Zero, cancellationToken);
        }
        if (held.Length > 0)
        {
            // A second past the hold, so that the look never comes early by the queue's clock.
            var hold = held.Max(d => d.LeaseUntil!.Value) - now + TimeSpan.FromSeconds(1);
            await queue.EnqueueAsync(work with { EventIds = [.. held.Select(d => d.EventId).Distinct()] }, hold, cancellationToken);
            logger.LogInformation("A repeated fan-out found {Held} deliveries held by another try: one look again in {Hold}", held.Length, hold);
        }
    }

    /// <summary>A fan-out's events, the tenant's enabled endpoints, and each event with each endpoint that wants it.</summary>
    private async Task<(IReadOnlyList<DomainEvent> Events, WebhookEndpoint[] Subscribed, (DomainEvent Event, WebhookEndpoint Endpoint)[] Pairs)> SubscriptionsAsync(
        WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var events = await log.GetManyAsync(work.Tenant, work.EventIds, cancellationToken);
        var subscribed = (await endpoints.ListAsync(work.Tenant, cancellationToken)).Where(e => e.Enabled).ToArray();
        var pairs = (from domainEvent in events from endpoint in subscribed where endpoint.Wants(domainEvent.Type) select (domainEvent, endpoint)).ToArray();
        return (events, subscribed, pairs);
    }
}
