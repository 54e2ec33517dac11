namespace Interflow.Core.Events;

/// <summary>
/// Ids seen in the last one to two spans of time, in two sets: as each span ends the older set is dropped. Memory is
/// what two spans hold, with no entry of its own per id to expire.
/// </summary>
public sealed class RecentIds(TimeSpan span, TimeProvider clock)
{
    private readonly Lock gate = new();
    private HashSet<string> current = new(StringComparer.Ordinal);
    private HashSet<string> previous = new(StringComparer.Ordinal);
    private DateTimeOffset turnsAt = clock.GetUtcNow() + span;

    public void AddRange(IEnumerable<string> ids)
    {
        lock (gate)
        {
            Turn();
            current.UnionWith(ids);
        }
    }

    public bool Contains(string id)
    {
        lock (gate)
        {
            Turn();
            return current.Contains(id) || previous.Contains(id);
        }
    }

    private void Turn()
    {
        var now = clock.GetUtcNow();
        if (now < turnsAt)
        {
            return;
        }
        // Idle for two spans or more: what the current set holds is as old as the previous one's.
        previous = now < turnsAt + span ? current : new(StringComparer.Ordinal);
        current = new(StringComparer.Ordinal);
        turnsAt = now + span;
    }
}
