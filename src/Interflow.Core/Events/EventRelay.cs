using Interflow.Core.Accounts;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Events;

/// <summary>
/// Moves outbox events into the event log: right after each write (the fast path) and, for writes whose process
/// died before that, from a periodic sweep. At least once: a relay repeated after a crash appends the same ids again.
/// A batch of records is relayed together: per tenant one log write, one webhook fan-out message and one outbox
/// clear per kind of record, whatever the number of events.
/// </summary>
public sealed class EventRelay(
    IEventLog log,
    Webhooks.IWebhookQueue webhooks,
    Webhooks.IWebhookEndpointStore endpoints,
    IEnumerable<IOutboxSource> sources,
    RelayOptions options,
    Telemetry.MessageCounts counts,
    TimeProvider clock,
    ILogger<EventRelay> logger)
{
    // Events whose fan-out this process has enqueued lately. A record relayed again before its outbox was cleared (a
    // status report written while the relay of the send was still under way, as happens under load) brings them back;
    // their fan-out message is already queued, durably, so they are not fanned out twice. Ids enter only once that
    // message is sent, and only races of seconds need them: a sweep's age is span enough.
    private readonly RecentIds fannedOut = new(options.SweepAge, clock);

    public Task RelayAsync(OutboxEntry entry, CancellationToken cancellationToken) => RelayAsync([entry], cancellationToken);

    public async Task RelayAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var tenant in entries.Where(e => e.Events.Count > 0).GroupBy(e => e.Tenant))
        {
            var events = tenant.SelectMany(e => e.Events).DistinctBy(e => e.Id).ToArray();
            // Logged, then handed to the webhook fan-out; the outboxes are cleared only after both.
            await counts.CountAsync(tenant.Key, await log.AppendAsync(tenant.Key, events, cancellationToken), cancellationToken);
            var fresh = events.Where(e => !fannedOut.Contains(e.Id)).Select(e => e.Id).ToArray();
            // A tenant without endpoints has nobody to fan out to: one store read saves the queue message.
            // (An endpoint created at this very moment starts with the next event, as if created a moment later.)
            if (fresh.Length > 0 && (await endpoints.ListAsync(tenant.Key, cancellationToken)).Any(e => e.Enabled))
            {
                await webhooks.EnqueueAsync(
                    new Webhooks.WebhookFanoutWork(tenant.Key.AccountId, tenant.Key.Environment.ToName(), fresh), TimeSpan.Zero, cancellationToken);
                fannedOut.AddRange(fresh);
            }
            foreach (var kind in tenant.GroupBy(e => e.Kind))
            {
                await sources.Single(s => s.Kind == kind.Key).ClearAsync([.. kind], cancellationToken);
            }
        }
    }

    /// <summary>The inline relay after a write: its failure is not the request's, since the sweep relays what is left.</summary>
    public Task TryRelayAsync(OutboxEntry entry, CancellationToken cancellationToken) => TryRelayAsync([entry], cancellationToken);

    /// <inheritdoc cref="TryRelayAsync(OutboxEntry, CancellationToken)"/>
    public async Task TryRelayAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        try
        {
            await RelayAsync(entries, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Relay of {Count} records ({Kinds}) deferred to the sweep", entries.Count, string.Join(", ", entries.Select(e => e.Kind).Distinct()));
        }
    }

    /// <summary>Relays what a crash left behind.</summary>
    /// <returns>How many records were relayed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var relayed = 0;
        var before = clock.GetUtcNow() - options.SweepAge;
        foreach (var source in sources)
        {
            var pending = await source.FindPendingAsync(before, 500, cancellationToken);
            await RelayAsync(pending, cancellationToken);
            relayed += pending.Count;
        }
        if (relayed > 0)
        {
            logger.LogInformation("The sweep relayed {Count} records whose outbox was left pending", relayed);
        }
        return relayed;
    }
}

public sealed class RelayOptions
{
    /// <summary>How old an outbox must be for the sweep to take it: older than any live request's inline relay.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromSeconds(30);
}
