namespace Interflow.Core.Webhooks;

/// <summary>
/// The attempt queue's handler: a retry of one delivery, or the check after a lease. Each retry claims the delivery
/// with a conditional write and enqueues a check for when its lease ends before it calls out, so a crash anywhere is
/// followed by another attempt; the next retry is enqueued, with its backoff as the message's delay, before the outcome
/// is saved. Pinned by <c>WebhookDeliveryTests</c> (a receiver failing three times gets the event once, the timeout).
/// </summary>
public sealed class WebhookRetries(
    IWebhookEndpointStore endpoints,
    IWebhookDeliveryStore deliveries,
    IWebhookQueue queue,
    DeliveryTries tries,
    EndpointProbes probes,
    WebhookOptions options,
    TimeProvider clock)
{
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
            ? held.WaitingFor(endpoint.ProbeAt)
            : (await tries.TryInOrderAsync(endpoint, [held], null, cancellationToken))[0];
        await deliveries.ReplaceAsync(outcome, held.ETag, cancellationToken);
        if (outcome.Waiting)
        {
            await probes.EnsureNextStepAsync(held.Tenant, held.EndpointId, cancellationToken);
        }
    }

    /// <summary>An attempt message the host gave up on: the delivery is failed, never left pending.</summary>
    public async Task AbandonAsync(WebhookAttemptWork work, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(work.Tenant, work.DeliveryId, cancellationToken);
        if (delivery is { Status: DeliveryStatus.Pending })
        {
            await deliveries.ReplaceAsync(delivery.Failed("abandoned after repeated processing failures", clock.GetUtcNow()), delivery.ETag, cancellationToken);
        }
    }
}
