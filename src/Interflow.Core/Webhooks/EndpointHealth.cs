using Interflow.Core.Accounts;
using Interflow.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Webhooks;

/// <summary>
/// What an endpoint's tries say about it, recorded on the endpoint: failing (a failed try and no success since), down
/// (<see cref="DownAfter"/> failed tries in a row: its deliveries wait for a probe), answering again, and disabled (a
/// delivery failed its whole schedule). The row of failures is the endpoint's, counted over every process trying it.
/// Pinned by <c>DeadReceiverTests</c> and <c>WebhookDeliveryTests</c> (disabling, a test ping bringing it back).
/// </summary>
public sealed class EndpointHealth(
    IWebhookEndpointStore endpoints, IWebhookQueue queue, WebhookOptions options, TimeProvider clock, ILogger<EndpointHealth> logger)
{
    /// <summary>Failed tries in a row, without a success between, after which an endpoint is down.</summary>
    public const int DownAfter = 2;

    // Writes of one endpoint that lose to others before giving up: far beyond what any number of handlers side by side cost.
    private const int MarkAttempts = 200;

    /// <summary>
    /// A try failed: the endpoint is failing from it, unless it was already (or down), by a failure elsewhere. Failing
    /// since the earliest failed try of the row, whichever process marks first, and since the try began, so that the
    /// disabling rule compares like with like.
    /// </summary>
    /// <returns>Whether this was the first failure in the row.</returns>
    public async Task<bool> MarkFailureAsync(WebhookEndpoint endpoint, WebhookDelivery failed, CancellationToken cancellationToken)
    {
        var at = failed.Attempts[^1].At;
        var first = false;
        var marked = await MarkAsync(endpoint.Tenant, endpoint.Id,
            e =>
            {
                first = e is { FailingSince: null, IsDown: false };
                return e with { FailingSince = at };
            },
            e => e is { FailingSince: null, IsDown: false } || e.FailingSince > at, cancellationToken);
        return marked is null || first;
    }

    /// <summary>
    /// The endpoint is down from now: its probe is due when <paramref name="oldest"/>, the delivery that failed last, is
    /// due its own retry. The probe's message is sent before the endpoint is marked, so that a crash leaves an extra
    /// probe, never a down endpoint without one.
    /// </summary>
    /// <returns>When the endpoint's deliveries are tried next.</returns>
    public async Task<DateTimeOffset?> GoDownAsync(WebhookEndpoint endpoint, WebhookDelivery oldest, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var wait = options.Delays[Math.Clamp(oldest.Attempts.Count, 1, options.Delays.Count) - 1];
        var probe = WebhookProbeWork.For(endpoint.Tenant, endpoint.Id, now + wait);
        await queue.EnqueueAsync(probe, wait, cancellationToken);
        // Down, or draining (down and answering): failing again, the drain stops and the probe takes over.
        var marked = await MarkAsync(endpoint.Tenant, endpoint.Id,
            e => e with { ProbeAt = probe.Due, FailingSince = e.FailingSince ?? oldest.Attempts[^1].At }, e => !e.IsDown || e.FailingSince is null, cancellationToken, "down");
        logger.LogInformation("Webhook endpoint {EndpointId} is down; its deliveries wait for a probe at {ProbeAt}", endpoint.Id, marked?.ProbeAt);
        return marked?.ProbeAt ?? probe.Due;
    }

    /// <summary>The endpoint answered: no longer failing, enabled again; if it was down, what waited is delivered now.</summary>
    public async Task AnsweredAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.FailingSince is null && endpoint.Enabled && !endpoint.IsDown)
        {
            return;
        }
        var now = clock.GetUtcNow();
        if (endpoint.IsDown)
        {
            // The drain's message first: a down endpoint always has a message for its next step.
            await queue.EnqueueAsync(WebhookProbeWork.For(endpoint.Tenant, endpoint.Id, now), TimeSpan.Zero, cancellationToken);
        }
        await MarkAsync(endpoint.Tenant, endpoint.Id,
            e => e with { FailingSince = null, Enabled = true, DisabledReason = null, ProbeAt = e.IsDown ? now : null },
            e => e.FailingSince is not null || !e.Enabled, cancellationToken, "answering");
    }

    /// <summary>A delivery failed its whole schedule without a success to the endpoint since its first try: stop sending to it.</summary>
    public async Task DisableAsync(WebhookEndpoint endpoint, WebhookDelivery failed, CancellationToken cancellationToken)
    {
        await MarkAsync(
            endpoint.Tenant, endpoint.Id,
            e => e with { Enabled = false, DisabledReason = "failed for the whole retry schedule", FailingSince = e.FailingSince ?? clock.GetUtcNow(), ProbeAt = null },
            e => e.Enabled && (e.FailingSince is null || e.FailingSince <= failed.Attempts[0].At),
            cancellationToken, "disabled");
        logger.LogWarning("Webhook delivery {DeliveryId} failed after {Attempts} attempts", failed.Id, failed.Attempts.Count);
    }

    /// <summary>
    /// A change to an endpoint, made on what it is now. Every fan-out, try and probe of a tenant may write its endpoints
    /// at once (a host runs a batch of fan-outs side by side), so a write that meets another is read again and retried,
    /// after a short random wait, for as long as others keep winning: each conflict is someone else's progress, and
    /// failing here would fail the fan-out and send its deliveries again.
    /// </summary>
    /// <param name="state">What the change makes the endpoint (down, answering, disabled), counted in <c>interflow.webhook.endpoint.changes</c> when this call made it.</param>
    /// <returns>The endpoint as it is after the change (or as it was, when the change was not needed); null when it is gone.</returns>
    public async Task<WebhookEndpoint?> MarkAsync(
        Tenant tenant, string id, Func<WebhookEndpoint, WebhookEndpoint> change, Func<WebhookEndpoint, bool> needed, CancellationToken cancellationToken,
        string? state = null)
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
                var changed = await endpoints.ReplaceAsync(change(endpoint) with { UpdatedAt = clock.GetUtcNow() }, endpoint.ETag, cancellationToken);
                if (state is not null)
                {
                    InterflowTelemetry.EndpointChanges.Add(1, new KeyValuePair<string, object?>(InterflowTelemetry.Tags.State, state));
                }
                return changed;
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
}
