using Interflow.Core.Accounts;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Events;

/// <summary>
/// Moves outbox events into the event log: right after each write (the fast path) and, for writes whose process
/// died before that, from a periodic sweep. At least once: a relay repeated after a crash appends the same ids again.
/// </summary>
public sealed class EventRelay(
    IEventLog log,
    Webhooks.IWebhookQueue webhooks,
    Webhooks.IWebhookEndpointStore endpoints,
    IEnumerable<IOutboxSource> sources,
    RelayOptions options,
    TimeProvider clock,
    ILogger<EventRelay> logger)
{
    public async Task RelayAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Events.Count == 0)
        {
            return;
        }
        // A tenant without endpoints has nobody to fan out to: one store read saves a queue message per event.
        // (An endpoint created at this very moment starts with the next event, as if created a moment later.)
        var subscribed = (await endpoints.ListAsync(entry.Tenant, cancellationToken)).Any(e => e.Enabled);
        foreach (var domainEvent in entry.Events)
        {
            // Logged, then handed to the webhook fan-out; the outbox is cleared only after both.
            await log.AppendAsync(entry.Tenant, domainEvent, cancellationToken);
            if (subscribed)
            {
                await webhooks.EnqueueAsync(new Webhooks.WebhookFanoutWork(entry.Tenant.AccountId, entry.Tenant.Environment.ToName(), domainEvent.Id), cancellationToken);
            }
        }
        await sources.Single(s => s.Kind == entry.Kind).ClearAsync(entry, cancellationToken);
    }

    /// <summary>The inline relay after a write: its failure is not the request's, since the sweep relays what is left.</summary>
    public async Task TryRelayAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await RelayAsync(entry, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Relay of {Kind} {ResourceId} deferred to the sweep", entry.Kind, entry.ResourceId);
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
            foreach (var entry in await source.FindPendingAsync(before, 500, cancellationToken))
            {
                await RelayAsync(entry, cancellationToken);
                relayed++;
            }
        }
        return relayed;
    }
}

public sealed class RelayOptions
{
    /// <summary>How old an outbox must be for the sweep to take it: older than any live request's inline relay.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromSeconds(30);
}
