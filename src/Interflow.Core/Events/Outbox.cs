using Interflow.Core.Accounts;

namespace Interflow.Core.Events;

/// <summary>
/// The events a resource's last writes produced, stored in the resource's own record by the same write: a change
/// and its events are saved together or not at all, with no cross-container transaction. A relay then appends them
/// to the event log and clears them.
/// </summary>
public sealed record OutboxEntry(string Kind, Tenant Tenant, string ResourceId, string ETag, IReadOnlyList<DomainEvent> Events);

/// <summary>A store whose records carry an outbox.</summary>
public interface IOutboxSource
{
    /// <summary>The record kind, to route a relay back to its store (<c>customers</c>, <c>chats</c>, <c>messages</c>).</summary>
    string Kind { get; }

    /// <summary>Records whose outbox is not empty and that were written before <paramref name="writtenBefore"/>: relays a crash left undone.</summary>
    Task<IReadOnlyList<OutboxEntry>> FindPendingAsync(DateTimeOffset writtenBefore, int max, CancellationToken cancellationToken);

    /// <summary>Empties each outbox if its record is still at the entry's ETag, in one write; a newer write keeps its own events for its own relay.</summary>
    Task ClearAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken);
}

/// <summary>The durable log of every event, per tenant; appending an event id twice is a no-op.</summary>
public interface IEventLog
{
    /// <summary>Appends the events in one write; ids already in the log are left as they are.</summary>
    /// <returns>The events this call added: none of those a repeated relay brings back (the metrics count each event once).</returns>
    Task<IReadOnlyList<DomainEvent>> AppendAsync(Tenant tenant, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken);

    Task<DomainEvent?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <summary>The events of these ids that exist, in one read.</summary>
    Task<IReadOnlyList<DomainEvent>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>A tenant's events, oldest first.</summary>
    Task<IReadOnlyList<DomainEvent>> ListAsync(Tenant tenant, int max, CancellationToken cancellationToken);
}
