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
/// <para>An endpoint that fails <see cref="DownAfter"/> tries in a row is down: its pending deliveries wait in the
/// store (<see cref="WebhookDelivery.Waiting"/>) instead of each holding a queue message and a retry of its own, and
/// one probe message per endpoint tries the oldest of them on that delivery's own retry schedule. When the endpoint
/// answers, what waited is delivered in order of creation, in batches, before it leaves the down state; when the oldest
/// fails its whole schedule, the endpoint is disabled and what waited is failed with that reason.</para>
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
    /// <summary>Failed tries in a row, without a success between, after which an endpoint is down.</summary>
    public const int DownAfter = 2;

    /// <summary>Waiting deliveries tried per drain step (one queue message each): side by side, in order of creation.</summary>
    public const int DrainBatch = 100;

    // Writes of one endpoint that lose to others before giving up: far beyond what any number of handlers side by side cost.
    private const int MarkAttempts = 200;

    private static readonly IReadOnlyDictionary<string, DomainEvent> NoEvents = new Dictionary<string, DomainEvent>();

    // Webhook requests in flight at once in this process, over every fan-out: enough to keep receivers busy, bounded
    // so that a burst of events cannot open thousands of connections.
    private static readonly SemaphoreSlim Senders = new(32);

    public static string DeliveryId(string endpointId, string eventId) =>
        "dlv_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{endpointId}|{eventId}")))[..24];

    /// <summary>
    /// The fan-out queue's handler, for a relay's batch of events: one delivery per enabled endpoint of the tenant
    /// that wants each event, created in one write, and their first tries made here, the outcomes saved in one write.
    /// To an endpoint that is down the deliveries are stored waiting, untried. To the others the first tries go one at
    /// a time until the endpoint answers (so a dead receiver costs <see cref="DownAfter"/> tries, not one per event),
    /// then side by side. The fan-out's queue message is their safety net: a crash before the outcomes are saved
    /// redelivers it, and the deliveries it finds untried go through the attempt queue once their hold ends.
    /// </summary>
    public async Task FanOutAsync(WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var (events, subscribed, pairs) = await SubscriptionsAsync(work, cancellationToken);
        var now = clock.GetUtcNow();
        var wanted = pairs.Select(p => p.Endpoint.IsDown
            ? New(p.Endpoint, p.Event, now) with { Waiting = true, NextAttemptAt = p.Endpoint.ProbeAt }
            : New(p.Endpoint, p.Event, now) with { LeaseUntil = now + options.Lease }).ToArray();
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
            var outcomes = await TryInOrderAsync(endpointsById[group.Key], [.. group], eventsById, cancellationToken);
            tried.AddRange(group.Zip(outcomes));
        }
        var saved = await deliveries.ReplaceManyAsync([.. tried.Select(t => new VersionedWrite<WebhookDelivery>(t.Saved, t.Held.ETag))], cancellationToken);
        if (saved.Any(s => s is null))
        {
            logger.LogWarning("{Count} webhook deliveries changed while their first try was in flight", saved.Count(s => s is null));
        }
        foreach (var endpointId in created.Where(d => d.Waiting).Concat(tried.Select(t => t.Saved).Where(d => d.Waiting)).Select(d => d.EndpointId).Distinct())
        {
            await EnsureNextStepAsync(work.Tenant, endpointId, cancellationToken);
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
            await queue.EnqueueAsync(Work(expired), TimeSpan.Zero, cancellationToken);
        }
        if (held.Length > 0)
        {
            // A second past the hold, so that the look never comes early by the queue's clock.
            var hold = held.Max(d => d.LeaseUntil!.Value) - now + TimeSpan.FromSeconds(1);
            await queue.EnqueueAsync(work with { EventIds = [.. held.Select(d => d.EventId).Distinct()] }, hold, cancellationToken);
            logger.LogInformation("A repeated fan-out found {Held} deliveries held by another try: one look again in {Hold}", held.Length, hold);
        }
    }

    /// <summary>
    /// The final answer for a fan-out given up on, after its later passes: its deliveries are recorded failed, untried,
    /// with the reason, so that each subscriber's delivery log says what it did not get and why.
    /// </summary>
    public async Task AbandonFanOutAsync(WebhookFanoutWork work, CancellationToken cancellationToken)
    {
        var (_, _, pairs) = await SubscriptionsAsync(work, cancellationToken);
        var now = clock.GetUtcNow();
        var failed = pairs.Select(p => Failed(New(p.Endpoint, p.Event, now), "fan-out abandoned after repeated processing failures", now)).ToArray();
        var stored = await deliveries.CreateManyAsync(failed, cancellationToken);
        foreach (var (existing, _) in stored.Where(s => !s.Created && s.Delivery is { Status: DeliveryStatus.Pending, Attempts.Count: 0, Waiting: false }))
        {
            // Stored by a pass before it failed: it exists, so the attempt queue can still deliver it.
            await queue.EnqueueAsync(Work(existing), TimeSpan.Zero, cancellationToken);
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

    /// <summary>The attempt queue's handler: a retry of one delivery, or the check after a lease.</summary>
    public async Task AttemptAsync(WebhookAttemptWork work, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(work.Tenant, work.DeliveryId, cancellationToken);
        if (delivery is null || delivery.Status != DeliveryStatus.Pending || delivery.Waiting)
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
        var endpoint = await endpoints.GetAsync(held.Tenant, held.EndpointId, cancellationToken);
        var outcome = endpoint is { Enabled: true, IsDown: true }
            ? Waiting(held, endpoint.ProbeAt)
            : (await TryInOrderAsync(endpoint, [held], NoEvents, cancellationToken))[0];
        await deliveries.ReplaceAsync(outcome, held.ETag, cancellationToken);
        if (outcome.Waiting)
        {
            await EnsureNextStepAsync(held.Tenant, held.EndpointId, cancellationToken);
        }
    }

    /// <summary>An attempt message the host gave up on: the delivery is failed, never left pending.</summary>
    public async Task AbandonAsync(WebhookAttemptWork work, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(work.Tenant, work.DeliveryId, cancellationToken);
        if (delivery is { Status: DeliveryStatus.Pending })
        {
            await deliveries.ReplaceAsync(Failed(delivery, "abandoned after repeated processing failures", clock.GetUtcNow()), delivery.ETag, cancellationToken);
        }
    }

    /// <summary>
    /// The probe queue's handler, for an endpoint that is down. Disabled or deleted: what waits is failed, a batch at a
    /// time. Failing: when due, its oldest waiting delivery (and, if that fails, the next, so that one event the receiver
    /// refuses does not hold the rest) is tried; a success starts the drain, a failure schedules the next probe on the
    /// oldest's retry schedule, and the end of that schedule disables the endpoint. Answering again: the next batch of
    /// what waited is delivered, oldest first, until none is left and the endpoint is up.
    /// </summary>
    public async Task ProbeAsync(WebhookProbeWork work, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(work.Tenant, work.EndpointId, cancellationToken);
        var now = clock.GetUtcNow();
        if (endpoint is null || !endpoint.Enabled)
        {
            await FailWaitingAsync(work, endpoint is null ? "endpoint deleted" : "endpoint disabled", cancellationToken);
            return;
        }
        if (!IsStep(endpoint, work.Due))
        {
            // Whoever set the endpoint's probe time sent a message for it first: this one is a spare (a claim's
            // safety net after its step was done, a step rescheduled) and is dropped.
            return;
        }
        if (work.Due > now + TimeSpan.FromSeconds(1))
        {
            await queue.EnqueueAsync(work, work.Due - now, cancellationToken); // Early by the queue's clock.
            return;
        }
        // Claimed for this step; the message sent first takes over if this process dies.
        var claim = Probe(endpoint.Tenant, endpoint.Id, now + options.Lease);
        await queue.EnqueueAsync(claim, options.Lease, cancellationToken);
        try
        {
            endpoint = await endpoints.ReplaceAsync(endpoint with { ProbeAt = claim.Due, UpdatedAt = now }, endpoint.ETag, cancellationToken);
        }
        catch (VersionMismatchException)
        {
            return; // Another step or try changed it, and sent the message for what it set.
        }
        if (endpoint.FailingSince is not null)
        {
            await ProbeFailingAsync(endpoint, cancellationToken);
        }
        else
        {
            await DrainAsync(endpoint, cancellationToken);
        }
    }

    /// <summary>
    /// A probe message the host gave up on: while its endpoint is down the probe is never given up on, its step is
    /// moved <paramref name="later"/>.
    /// </summary>
    public async Task ProbeLaterAsync(WebhookProbeWork work, TimeSpan later, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(work.Tenant, work.EndpointId, cancellationToken);
        if (endpoint is null || !endpoint.Enabled)
        {
            await queue.EnqueueAsync(work, later, cancellationToken); // What waits for it is still to be failed.
        }
        else if (IsStep(endpoint, work.Due))
        {
            await NextStepAsync(endpoint, later, cancellationToken);
        }
    }

    /// <summary>The test ping: one try of a held delivery, recorded whatever its outcome; a success brings the endpoint back.</summary>
    public async Task<WebhookDelivery> PingAsync(WebhookDelivery held, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(held.Tenant, held.EndpointId, cancellationToken) ?? throw new NotFoundException();
        var domainEvent = await log.GetAsync(held.Tenant, held.EventId, cancellationToken) ?? throw new NotFoundException();
        var (tried, succeeded) = await SendAsync(held, endpoint, domainEvent, cancellationToken);
        if (succeeded)
        {
            await AnsweredAsync(endpoint, cancellationToken);
        }
        var now = clock.GetUtcNow();
        return await deliveries.ReplaceAsync(
            tried with { Status = succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed, NextAttemptAt = null, LeaseUntil = null, UpdatedAt = now },
            held.ETag, cancellationToken);
    }

    /// <summary>
    /// Tries an endpoint's held deliveries: one at a time until it answers, then the rest side by side. Fails the lot
    /// when the endpoint is gone or disabled. A failure with the endpoint already failing is one too many in a row: the
    /// endpoint goes down, and the failed and untried deliveries wait for its probe.
    /// </summary>
    /// <returns>Each delivery as it is to be saved, in the order given.</returns>
    private async Task<WebhookDelivery[]> TryInOrderAsync(
        WebhookEndpoint? endpoint, IReadOnlyList<WebhookDelivery> held, IReadOnlyDictionary<string, DomainEvent> events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var results = held.ToArray();
        if (endpoint is null || !endpoint.Enabled)
        {
            return [.. held.Select(d => Failed(d, endpoint is null ? "endpoint deleted" : "endpoint disabled", now))];
        }
        var failuresInRow = endpoint.FailingSince is null ? 0 : 1;
        var next = 0;
        var answered = false;
        while (next < held.Count && !answered && failuresInRow < DownAfter)
        {
            var (tried, succeeded) = await SendAsync(held[next], endpoint, await EventOfAsync(held[next], events, cancellationToken), cancellationToken);
            results[next++] = tried;
            answered = succeeded;
            if (succeeded)
            {
                failuresInRow = 0;
            }
            else if (tried.Status == DeliveryStatus.Pending && ++failuresInRow < DownAfter && !endpoint.IsDown)
            {
                // The row is the endpoint's, over every process trying it: marked now, so that tries elsewhere count
                // this one, and a failure elsewhere first (or the endpoint down meanwhile) makes this one too many.
                if (!await MarkFailureAsync(endpoint, tried, cancellationToken))
                {
                    failuresInRow = DownAfter;
                }
            }
        }
        if (failuresInRow >= DownAfter)
        {
            var probeAt = await GoDownAsync(endpoint, results[next - 1], cancellationToken);
            return [.. results.Select(d => d.Status == DeliveryStatus.Pending ? Waiting(d, probeAt) : d)];
        }
        var rest = await Task.WhenAll(held.Skip(next).Select(async delivery =>
        {
            await Senders.WaitAsync(cancellationToken);
            try
            {
                return await SendAsync(delivery, endpoint, await EventOfAsync(delivery, events, cancellationToken), cancellationToken);
            }
            finally
            {
                Senders.Release();
            }
        }));
        rest.Select(r => r.Delivery).ToArray().CopyTo(results, next);
        if (answered || rest.Any(r => r.Succeeded))
        {
            await AnsweredAsync(endpoint, cancellationToken);
        }
        WebhookDelivery? firstFailed = null;
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Status == DeliveryStatus.Pending)
            {
                firstFailed ??= results[i];
                results[i] = await ScheduleRetryAsync(endpoint, results[i], cancellationToken);
            }
        }
        if (firstFailed is not null)
        {
            await MarkFailureAsync(endpoint, firstFailed, cancellationToken);
        }
        return results;
    }

    /// <summary>
    /// A try failed: the endpoint is failing from it, unless it was already (or down), by a failure elsewhere. Failing
    /// since the earliest failed try of the row, whichever process marks first, and since the try began, so that the
    /// disabling rule compares like with like.
    /// </summary>
    /// <returns>Whether this was the first failure in the row.</returns>
    private async Task<bool> MarkFailureAsync(WebhookEndpoint endpoint, WebhookDelivery failed, CancellationToken cancellationToken)
    {
        var at = failed.Attempts[^1].At;
        var first = false;
        var marked = await MarkEndpointAsync(endpoint.Tenant, endpoint.Id,
            e =>
            {
                first = e is { FailingSince: null, IsDown: false };
                return e with { FailingSince = at };
            },
            e => e is { FailingSince: null, IsDown: false } || e.FailingSince > at, cancellationToken);
        return marked is null || first;
    }

    /// <summary>A failed try while the endpoint is up: the next retry on the delivery's own schedule, or failed at its end.</summary>
    private async Task<WebhookDelivery> ScheduleRetryAsync(WebhookEndpoint endpoint, WebhookDelivery tried, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (tried.Attempts.Count <= options.Delays.Count)
        {
            var wait = options.Delays[tried.Attempts.Count - 1];
            await queue.EnqueueAsync(Work(tried), wait, cancellationToken);
            return tried with { NextAttemptAt = now + wait, LeaseUntil = now + wait, Waiting = false, UpdatedAt = now };
        }
        await DisableAsync(endpoint, tried, cancellationToken);
        return Failed(tried, null, now);
    }

    /// <summary>
    /// The endpoint is down from now: its probe is due when <paramref name="oldest"/>, the delivery that failed last, is
    /// due its own retry. The probe's message is sent before the endpoint is marked, so that a crash leaves an extra
    /// probe, never a down endpoint without one.
    /// </summary>
    /// <returns>When the endpoint's deliveries are tried next.</returns>
    private async Task<DateTimeOffset?> GoDownAsync(WebhookEndpoint endpoint, WebhookDelivery oldest, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var wait = options.Delays[Math.Clamp(oldest.Attempts.Count, 1, options.Delays.Count) - 1];
        var probe = Probe(endpoint.Tenant, endpoint.Id, now + wait);
        await queue.EnqueueAsync(probe, wait, cancellationToken);
        // Down, or draining (down and answering): failing again, the drain stops and the probe takes over.
        var marked = await MarkEndpointAsync(endpoint.Tenant, endpoint.Id,
            e => e with { ProbeAt = probe.Due, FailingSince = e.FailingSince ?? oldest.Attempts[^1].At }, e => !e.IsDown || e.FailingSince is null, cancellationToken);
        logger.LogInformation("Webhook endpoint {EndpointId} is down; its deliveries wait for a probe at {ProbeAt}", endpoint.Id, marked?.ProbeAt);
        return marked?.ProbeAt ?? probe.Due;
    }

    /// <summary>A probe of a failing endpoint, claimed, with its oldest waiting deliveries.</summary>
    private async Task ProbeFailingAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var waiting = await deliveries.ListWaitingAsync(endpoint.Tenant, endpoint.Id, 2, cancellationToken);
        if (waiting.Count == 0)
        {
            // Nothing to probe with: the next event is tried as to any endpoint.
            await MarkEndpointAsync(endpoint.Tenant, endpoint.Id, e => e with { ProbeAt = null }, e => IsStep(e, endpoint.ProbeAt), cancellationToken);
            return;
        }
        var head = waiting[0];
        var (tried, succeeded) = await SendAsync(head, endpoint, await EventOfAsync(head, NoEvents, cancellationToken), cancellationToken);
        if (tried.Status == DeliveryStatus.Failed)
        {
            // Its event is gone: nothing to probe with; the next waiting delivery is.
            await deliveries.ReplaceAsync(tried, head.ETag, cancellationToken);
            await NextStepAsync(endpoint, TimeSpan.Zero, cancellationToken);
            return;
        }
        if (!succeeded && tried.Attempts.Count > options.Delays.Count)
        {
            await deliveries.ReplaceAsync(Failed(tried, null, now), head.ETag, cancellationToken);
            await DisableAsync(endpoint, tried, cancellationToken);
            // Disabled, the next step fails what waits; not (it answered since the oldest's first try), the next probes.
            await NextStepAsync(endpoint, TimeSpan.Zero, cancellationToken);
            return;
        }
        if (!succeeded && waiting.Count > 1)
        {
            // The oldest may be one event this receiver refuses: a second one tells whether the endpoint is back.
            var second = waiting[1];
            var (secondTried, secondSucceeded) = await SendAsync(second, endpoint, await EventOfAsync(second, NoEvents, cancellationToken), cancellationToken);
            if (secondSucceeded)
            {
                await deliveries.ReplaceAsync(Settled(secondTried), second.ETag, cancellationToken);
                // Answered after the oldest failed: not failing; the oldest retries on its own schedule.
                await AnsweredAsync(endpoint, cancellationToken);
                await deliveries.ReplaceAsync(await ScheduleRetryAsync(endpoint, tried, cancellationToken), head.ETag, cancellationToken);
                return;
            }
            await deliveries.ReplaceAsync(secondTried, second.ETag, cancellationToken);
        }
        if (succeeded)
        {
            await deliveries.ReplaceAsync(Settled(tried), head.ETag, cancellationToken);
            await AnsweredAsync(endpoint, cancellationToken);
            return;
        }
        var wait = options.Delays[tried.Attempts.Count - 1];
        await deliveries.ReplaceAsync(tried with { NextAttemptAt = now + wait }, head.ETag, cancellationToken);
        await NextStepAsync(endpoint, wait, cancellationToken);
    }

    /// <summary>
    /// One batch of what waited for an endpoint that answers again (claimed), oldest first, tried side by side; the next
    /// batch is a step of its own. When none is left the endpoint is up, and new events are tried as they come.
    /// </summary>
    private async Task DrainAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var batch = await deliveries.ListWaitingAsync(endpoint.Tenant, endpoint.Id, DrainBatch, cancellationToken);
        if (batch.Count == 0)
        {
            await MarkEndpointAsync(endpoint.Tenant, endpoint.Id, e => e with { ProbeAt = null }, e => IsStep(e, endpoint.ProbeAt), cancellationToken);
            return;
        }
        // Still waiting while they are tried: if this process dies, the claim's message finds them again.
        var outcomes = await TryInOrderAsync(endpoint with { FailingSince = null }, batch, NoEvents, cancellationToken);
        await deliveries.ReplaceManyAsync([.. batch.Zip(outcomes, (held, saved) => new VersionedWrite<WebhookDelivery>(saved, held.ETag))], cancellationToken);
        if (!outcomes.Any(o => o.Waiting))
        {
            await NextStepAsync(endpoint, TimeSpan.Zero, cancellationToken); // Else down again: that set the next step.
        }
    }

    /// <summary>
    /// The claimed endpoint's next step, <paramref name="delay"/> from now: its message first, then the claim released
    /// to that time, so that a down endpoint always has a message for its next step. Changed meanwhile (answered, down
    /// again), the change's own message is the next step and this one a spare.
    /// </summary>
    private async Task NextStepAsync(WebhookEndpoint claimed, TimeSpan delay, CancellationToken cancellationToken)
    {
        var next = Probe(claimed.Tenant, claimed.Id, clock.GetUtcNow() + delay);
        await queue.EnqueueAsync(next, delay, cancellationToken);
        await MarkEndpointAsync(claimed.Tenant, claimed.Id, e => e with { ProbeAt = next.Due }, e => IsStep(e, claimed.ProbeAt), cancellationToken);
    }

    /// <summary>
    /// Deliveries were just stored waiting, for an endpoint read as down: if it is down still, its next step finds them.
    /// Come back since, its drain may be over: it drains again. Disabled or deleted since: a message fails them.
    /// </summary>
    private async Task EnsureNextStepAsync(Tenant tenant, string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(tenant, endpointId, cancellationToken);
        if (endpoint is { IsDown: true, Enabled: true })
        {
            return;
        }
        var step = Probe(tenant, endpointId, clock.GetUtcNow());
        await queue.EnqueueAsync(step, TimeSpan.Zero, cancellationToken);
        if (endpoint is { Enabled: true })
        {
            await MarkEndpointAsync(tenant, endpointId, e => e with { ProbeAt = step.Due }, e => e is { IsDown: false, Enabled: true }, cancellationToken);
        }
    }

    /// <summary>A batch of what waits for a disabled or deleted endpoint is failed with the reason; the next batch gets a message of its own.</summary>
    private async Task FailWaitingAsync(WebhookProbeWork work, string reason, CancellationToken cancellationToken)
    {
        var batch = await deliveries.ListWaitingAsync(work.Tenant, work.EndpointId, DrainBatch, cancellationToken);
        if (batch.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        await deliveries.ReplaceManyAsync([.. batch.Select(d => new VersionedWrite<WebhookDelivery>(Failed(d, reason, now), d.ETag))], cancellationToken);
        await queue.EnqueueAsync(work with { Due = now }, TimeSpan.Zero, cancellationToken);
    }

    /// <summary>The endpoint answered: no longer failing, enabled again; if it was down, what waited is delivered now.</summary>
    private async Task AnsweredAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.FailingSince is null && endpoint.Enabled && !endpoint.IsDown)
        {
            return;
        }
        var now = clock.GetUtcNow();
        if (endpoint.IsDown)
        {
            // The drain's message first: a down endpoint always has a message for its next step.
            await queue.EnqueueAsync(Probe(endpoint.Tenant, endpoint.Id, now), TimeSpan.Zero, cancellationToken);
        }
        await MarkEndpointAsync(endpoint.Tenant, endpoint.Id,
            e => e with { FailingSince = null, Enabled = true, DisabledReason = null, ProbeAt = e.IsDown ? now : null },
            e => e.FailingSince is not null || !e.Enabled, cancellationToken);
    }

    /// <summary>A delivery failed its whole schedule without a success to the endpoint since its first try: stop sending to it.</summary>
    private async Task DisableAsync(WebhookEndpoint endpoint, WebhookDelivery failed, CancellationToken cancellationToken)
    {
        await MarkEndpointAsync(
            endpoint.Tenant, endpoint.Id,
            e => e with { Enabled = false, DisabledReason = "failed for the whole retry schedule", FailingSince = e.FailingSince ?? clock.GetUtcNow(), ProbeAt = null },
            e => e.Enabled && (e.FailingSince is null || e.FailingSince <= failed.Attempts[0].At),
            cancellationToken);
        logger.LogWarning("Webhook delivery {DeliveryId} failed after {Attempts} attempts", failed.Id, failed.Attempts.Count);
    }

    /// <summary>One try of a held delivery: the delivery with the attempt recorded, still pending unless it succeeded.</summary>
    private async Task<(WebhookDelivery Delivery, bool Succeeded)> SendAsync(
        WebhookDelivery held, WebhookEndpoint endpoint, DomainEvent? domainEvent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (domainEvent is null)
        {
            return (Failed(held, "event not found", now), false);
        }
        var outcome = await sender.SendAsync(endpoint, domainEvent.Id, serializer.EventBody(domainEvent), cancellationToken);
        var tried = held with { Attempts = [.. held.Attempts, new DeliveryAttempt(now, outcome.StatusCode, outcome.Error, outcome.DurationMs)], UpdatedAt = now };
        return outcome.Succeeded ? (Settled(tried), true) : (tried, false);
    }

    private async Task<DomainEvent?> EventOfAsync(WebhookDelivery delivery, IReadOnlyDictionary<string, DomainEvent> known, CancellationToken cancellationToken) =>
        known.TryGetValue(delivery.EventId, out var domainEvent) ? domainEvent : await log.GetAsync(delivery.Tenant, delivery.EventId, cancellationToken);

    /// <summary>
    /// A change to an endpoint, made on what it is now. Every fan-out, try and probe of a tenant may write its endpoints
    /// at once (a host runs a batch of fan-outs side by side), so a write that meets another is read again and retried,
    /// after a short random wait, for as long as others keep winning: each conflict is someone else's progress, and
    /// failing here would fail the fan-out and send its deliveries again.
    /// </summary>
    /// <returns>The endpoint as it is after the change (or as it was, when the change was not needed); null when it is gone.</returns>
    private async Task<WebhookEndpoint?> MarkEndpointAsync(
        Tenant tenant, string id, Func<WebhookEndpoint, WebhookEndpoint> change, Func<WebhookEndpoint, bool> needed, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = await endpoints.GetAsync(tenant, id, cancellationToken);
            if (endpoint is null || !needed(endpoint))
            {
                return endpoint;
            }
            try
            {
                return await endpoints.ReplaceAsync(change(endpoint) with { UpdatedAt = clock.GetUtcNow() }, endpoint.ETag, cancellationToken);
            }
            catch (VersionMismatchException) when (attempt < MarkAttempts)
            {
                // Real time, not the clock: a jitter between writers, which a test's pinned clock must not hold up.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(attempt, 20) * 5)), cancellationToken);
            }
            catch (NotFoundException)
            {
                return null; // Deleted meanwhile: nothing left to mark.
            }
        }
    }

    private static WebhookDelivery Settled(WebhookDelivery tried) =>
        tried with { Status = DeliveryStatus.Succeeded, NextAttemptAt = null, LeaseUntil = null, Waiting = false };

    private static WebhookDelivery Failed(WebhookDelivery delivery, string? reason, DateTimeOffset now) => delivery with
    {
        Status = DeliveryStatus.Failed,
        Attempts = reason is null ? delivery.Attempts : [.. delivery.Attempts, new DeliveryAttempt(now, null, reason, 0)],
        NextAttemptAt = null,
        LeaseUntil = null,
        Waiting = false,
        UpdatedAt = now,
    };

    private static WebhookDelivery Waiting(WebhookDelivery delivery, DateTimeOffset? probeAt) =>
        delivery with { Waiting = true, NextAttemptAt = probeAt, LeaseUntil = null };

    private static WebhookDelivery New(WebhookEndpoint endpoint, DomainEvent domainEvent, DateTimeOffset now) => new(
        DeliveryId(endpoint.Id, domainEvent.Id), endpoint.Tenant, endpoint.Id, domainEvent.Id, domainEvent.Type,
        DeliveryStatus.Pending, [], now, null, now, now);

    private static WebhookAttemptWork Work(WebhookDelivery delivery) =>
        new(delivery.Tenant.AccountId, delivery.Tenant.Environment.ToName(), delivery.Id);

    private static WebhookProbeWork Probe(Tenant tenant, string endpointId, DateTimeOffset due) =>
        new(tenant.AccountId, tenant.Environment.ToName(), endpointId, due);

    /// <summary>Whether a probe message for <paramref name="due"/> is the endpoint's current step (times survive the store to the millisecond).</summary>
    private static bool IsStep(WebhookEndpoint endpoint, DateTimeOffset? due) =>
        endpoint.ProbeAt is { } at && due is { } d && (at - d).Duration() < TimeSpan.FromMilliseconds(1);
}
