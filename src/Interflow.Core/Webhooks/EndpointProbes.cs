using Interflow.Core.Accounts;

namespace Interflow.Core.Webhooks;

/// <summary>
/// The cycle of an endpoint that is down, from the probe queue: its pending deliveries wait in the store
/// (<see cref="WebhookDelivery.Waiting"/>) instead of each holding a queue message and a retry of its own, and one probe
/// message per endpoint tries the oldest of them on that delivery's own retry schedule. When the endpoint answers, what
/// waited is delivered in order of creation, <see cref="DrainBatch"/> at a time, before it leaves the down state; when
/// the oldest fails its whole schedule, the endpoint is disabled and what waited is failed with that reason.
/// <para>Each probe message names the step it was sent for (the endpoint's <see cref="WebhookEndpoint.ProbeAt"/>), and
/// every change of step sends the next step's message before it is written, so a crash leaves a spare message (dropped
/// when it finds another step current), never a down endpoint without one. Pinned by <c>DeadReceiverTests</c>.</para>
/// </summary>
public sealed class EndpointProbes(
    IWebhookEndpointStore endpoints,
    IWebhookDeliveryStore deliveries,
    IWebhookQueue queue,
    DeliveryTries tries,
    EndpointHealth health,
    WebhookOptions options,
    TimeProvider clock)
{
    /// <summary>Waiting deliveries tried per drain step (one queue message each): side by side, in order of creation.</summary>
    public const int DrainBatch = 100;

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
        if (!endpoint.IsStep(work.Due))
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
        var claim = WebhookProbeWork.For(endpoint.Tenant, endpoint.Id, now + options.Lease);
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
        else if (endpoint.IsStep(work.Due))
        {
            await NextStepAsync(endpoint, later, cancellationToken);
        }
    }

    /// <summary>
    /// Deliveries were just stored waiting, for an endpoint read as down: if it is down still, its next step finds them.
    /// Come back since, its drain may be over: it drains again. Disabled or deleted since: a message fails them.
    /// </summary>
    public async Task EnsureNextStepAsync(Tenant tenant, string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetAsync(tenant, endpointId, cancellationToken);
        if (endpoint is { IsDown: true, Enabled: true })
        {
            return;
        }
        var step = WebhookProbeWork.For(tenant, endpointId, clock.GetUtcNow());
        await queue.EnqueueAsync(step, TimeSpan.Zero, cancellationToken);
        if (endpoint is { Enabled: true })
        {
            await health.MarkAsync(tenant, endpointId, e => e with { ProbeAt = step.Due }, e => e is { IsDown: false, Enabled: true }, cancellationToken);
        }
    }

    /// <summary>A probe of a failing endpoint, claimed, with its oldest waiting deliveries.</summary>
    private async Task ProbeFailingAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var waiting = await deliveries.ListWaitingAsync(endpoint.Tenant, endpoint.Id, 2, cancellationToken);
        if (waiting.Count == 0)
        {
            // Nothing to probe with: the next event is tried as to any endpoint.
            await health.MarkAsync(endpoint.Tenant, endpoint.Id, e => e with { ProbeAt = null }, e => e.IsStep(endpoint.ProbeAt), cancellationToken);
            return;
        }
        var head = waiting[0];
        var (tried, succeeded) = await tries.SendAsync(head, endpoint, await tries.EventOfAsync(head, null, cancellationToken), cancellationToken);
        if (tried.Status == DeliveryStatus.Failed)
        {
            // Its event is gone: nothing to probe with; the next waiting delivery is.
            await deliveries.ReplaceAsync(tried, head.ETag, cancellationToken);
            await NextStepAsync(endpoint, TimeSpan.Zero, cancellationToken);
            return;
        }
        if (!succeeded && tried.Attempts.Count > options.Delays.Count)
        {
            await deliveries.ReplaceAsync(tried.Failed(null, now), head.ETag, cancellationToken);
            await health.DisableAsync(endpoint, tried, cancellationToken);
            // Disabled, the next step fails what waits; not (it answered since the oldest's first try), the next probes.
            await NextStepAsync(endpoint, TimeSpan.Zero, cancellationToken);
            return;
        }
        if (!succeeded && waiting.Count > 1)
        {
            // The oldest may be one event this receiver refuses: a second one tells whether the endpoint is back.
            var second = waiting[1];
            var (secondTried, secondSucceeded) = await tries.SendAsync(second, endpoint, await tries.EventOfAsync(second, null, cancellationToken), cancellationToken);
            if (secondSucceeded)
            {
                await deliveries.ReplaceAsync(secondTried.Settled(), second.ETag, cancellationToken);
                // Answered after the oldest failed: not failing; the oldest retries on its own schedule.
                await health.AnsweredAsync(endpoint, cancellationToken);
                await deliveries.ReplaceAsync(await tries.ScheduleRetryAsync(endpoint, tried, cancellationToken), head.ETag, cancellationToken);
                return;
            }
            await deliveries.ReplaceAsync(secondTried, second.ETag, cancellationToken);
        }
        if (succeeded)
        {
            await deliveries.ReplaceAsync(tried.Settled(), head.ETag, cancellationToken);
            await health.AnsweredAsync(endpoint, cancellationToken);
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
            await health.MarkAsync(endpoint.Tenant, endpoint.Id, e => e with { ProbeAt = null }, e => e.IsStep(endpoint.ProbeAt), cancellationToken);
            return;
        }
        // Still waiting while they are tried: if this process dies, the claim's message finds them again.
        var outcomes = await tries.TryInOrderAsync(endpoint with { FailingSince = null }, batch, null, cancellationToken);
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
        var next = WebhookProbeWork.For(claimed.Tenant, claimed.Id, clock.GetUtcNow() + delay);
        await queue.EnqueueAsync(next, delay, cancellationToken);
        await health.MarkAsync(claimed.Tenant, claimed.Id, e => e with { ProbeAt = next.Due }, e => e.IsStep(claimed.ProbeAt), cancellationToken);
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
        await deliveries.ReplaceManyAsync([.. batch.Select(d => new VersionedWrite<WebhookDelivery>(d.Failed(reason, now), d.ETag))], cancellationToken);
        await queue.EnqueueAsync(work with { Due = now }, TimeSpan.Zero, cancellationToken);
    }
}
