using System.Diagnostics;
using System.Globalization;
using Interflow.Core.Events;
using Interflow.Core.Telemetry;

namespace Interflow.Core.Webhooks;

/// <summary>
/// Tries of held deliveries against their endpoint, and what each outcome means for the delivery: settled, its next
/// retry on its own schedule, waiting for the endpoint's probe, or failed. Every try of one event carries the same
/// <c>webhook-id</c>, so receivers de-duplicate by it. Pinned by <c>WebhookDeliveryTests</c> (signing, retries,
/// the timeout, the test ping) and <c>DeadReceiverTests</c> (a dead endpoint costs <see cref="EndpointHealth.DownAfter"/> tries).
/// </summary>
public sealed class DeliveryTries(
    IEventLog log,
    IWebhookDeliveryStore deliveries,
    IWebhookQueue queue,
    IWebhookSender sender,
    IResourceSerializer serializer,
    EndpointHealth health,
    WebhookOptions options,
    TimeProvider clock)
{
    // Webhook requests in flight at once in this process, over every fan-out: enough to keep receivers busy, bounded
    // so that a burst of events cannot open thousands of connections.
    private static readonly SemaphoreSlim Senders = new(32);

    /// <summary>
    /// Tries an endpoint's held deliveries: one at a time until it answers, then the rest side by side. Fails the lot
    /// when the endpoint is gone or disabled. A failure with the endpoint already failing is one too many in a row: the
    /// endpoint goes down, and the failed and untried deliveries wait for its probe.
    /// </summary>
    /// <param name="events">Their events where the caller has them; the others are read from the log.</param>
    /// <returns>Each delivery as it is to be saved, in the order given.</returns>
    public async Task<WebhookDelivery[]> TryInOrderAsync(
        WebhookEndpoint? endpoint, IReadOnlyList<WebhookDelivery> held, IReadOnlyDictionary<string, DomainEvent>? events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var results = held.ToArray();
        if (endpoint is null || !endpoint.Enabled)
        {
            return [.. held.Select(d => d.Failed(endpoint is null ? "endpoint deleted" : "endpoint disabled", now))];
        }
        var failuresInRow = endpoint.FailingSince is null ? 0 : 1;
        var next = 0;
        var answered = false;
        while (next < held.Count && !answered && failuresInRow < EndpointHealth.DownAfter)
        {
            var (tried, succeeded) = await SendAsync(held[next], endpoint, await EventOfAsync(held[next], events, cancellationToken), cancellationToken);
            results[next++] = tried;
            answered = succeeded;
            if (succeeded)
            {
                failuresInRow = 0;
            }
            else if (tried.Status == DeliveryStatus.Pending && ++failuresInRow < EndpointHealth.DownAfter && !endpoint.IsDown)
            {
                // The row is the endpoint's, over every process trying it: marked now, so that tries elsewhere count
                // this one, and a failure elsewhere first (or the endpoint down meanwhile) makes this one too many.
                if (!await health.MarkFailureAsync(endpoint, tried, cancellationToken))
                {
                    failuresInRow = EndpointHealth.DownAfter;
                }
            }
        }
        if (failuresInRow >= EndpointHealth.DownAfter)
        {
            var probeAt = await health.GoDownAsync(endpoint, results[next - 1], cancellationToken);
            return [.. results.Select(d => d.Status == DeliveryStatus.Pending ? d.WaitingFor(probeAt) : d)];
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
            await health.AnsweredAsync(endpoint, cancellationToken);
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
            await health.MarkFailureAsync(endpoint, firstFailed, cancellationToken);
        }
        return results;
    }

    /// <summary>A failed try while the endpoint is up: the next retry on the delivery's own schedule, or failed at its end.</summary>
    public async Task<WebhookDelivery> ScheduleRetryAsync(WebhookEndpoint endpoint, WebhookDelivery tried, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (tried.Attempts.Count <= options.Delays.Count)
        {
            var wait = options.Delays[tried.Attempts.Count - 1];
            await queue.EnqueueAsync(WebhookAttemptWork.For(tried), wait, cancellationToken);
            return tried with { NextAttemptAt = now + wait, LeaseUntil = now + wait, Waiting = false, UpdatedAt = now };
        }
        await health.DisableAsync(endpoint, tried, cancellationToken);
        InterflowTelemetry.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>(InterflowTelemetry.Tags.Outcome, "abandoned"));
        return tried.Failed(null, now);
    }

    /// <summary>The test ping: one try of a held delivery, recorded whatever its outcome; a success brings the endpoint back.</summary>
    public async Task<WebhookDelivery> PingAsync(WebhookEndpoint endpoint, WebhookDelivery held, DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        var (tried, succeeded) = await SendAsync(held, endpoint, domainEvent, cancellationToken);
        if (succeeded)
        {
            await health.AnsweredAsync(endpoint, cancellationToken);
        }
        var now = clock.GetUtcNow();
        return await deliveries.ReplaceAsync(
            tried with { Status = succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed, NextAttemptAt = null, LeaseUntil = null, UpdatedAt = now },
            held.ETag, cancellationToken);
    }

    /// <summary>One try of a held delivery: the delivery with the attempt recorded, still pending unless it succeeded.</summary>
    public async Task<(WebhookDelivery Delivery, bool Succeeded)> SendAsync(
        WebhookDelivery held, WebhookEndpoint endpoint, DomainEvent? domainEvent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (domainEvent is null)
        {
            return (held.Failed("event not found", now), false);
        }
        var number = held.Attempts.Count + 1;
        using var activity = InterflowTelemetry.Source.StartActivity("webhook POST", ActivityKind.Client);
        activity?.SetTag(InterflowTelemetry.Tags.Tenant, held.Tenant.Key).SetTag(InterflowTelemetry.Tags.EndpointId, endpoint.Id)
            .SetTag(InterflowTelemetry.Tags.DeliveryId, held.Id).SetTag(InterflowTelemetry.Tags.Try, number).SetTag(InterflowTelemetry.Tags.HttpMethod, "POST");
        var outcome = await sender.SendAsync(endpoint, domainEvent.Id, serializer.EventBody(domainEvent), cancellationToken);
        var result = outcome.Succeeded ? "succeeded" : "failed";
        // The receiver's status, or why there was none (timeout, connection refused, forbidden address): never the URL.
        var error = outcome.Succeeded ? null : outcome.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? outcome.Error;
        activity?.SetTag(InterflowTelemetry.Tags.HttpStatus, outcome.StatusCode).SetTag(InterflowTelemetry.Tags.Outcome, result);
        if (error is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error).SetTag(InterflowTelemetry.Tags.ErrorType, error);
        }
        InterflowTelemetry.WebhookDeliveries.Add(1, new(InterflowTelemetry.Tags.Outcome, result), new(InterflowTelemetry.Tags.ErrorType, error));
        InterflowTelemetry.WebhookDuration.Record(outcome.DurationMs / 1000.0, new KeyValuePair<string, object?>(InterflowTelemetry.Tags.Outcome, result));
        var tried = held with { Attempts = [.. held.Attempts, new DeliveryAttempt(now, outcome.StatusCode, outcome.Error, outcome.DurationMs)], UpdatedAt = now };
        return outcome.Succeeded ? (tried.Settled(), true) : (tried, false);
    }

    /// <summary>The delivery's event, from those given or else from the log.</summary>
    public async Task<DomainEvent?> EventOfAsync(WebhookDelivery delivery, IReadOnlyDictionary<string, DomainEvent>? known, CancellationToken cancellationToken) =>
        known is not null && known.TryGetValue(delivery.EventId, out var domainEvent) ? domainEvent : await log.GetAsync(delivery.Tenant, delivery.EventId, cancellationToken);
}
