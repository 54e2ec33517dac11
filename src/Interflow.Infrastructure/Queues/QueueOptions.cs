namespace Interflow.Infrastructure.Queues;

/// <summary>What happens to messages the host gave up on (moved to a "-poison" queue after <c>maxDequeueCount</c> tries).</summary>
public sealed class QueueOptions
{
    /// <summary>
    /// Waits before each later pass of a poisoned message on its own queue, comma-separated; after the last, the queue's
    /// final answer settles what the message was for. A string, as configuration binding appends to default arrays.
    /// </summary>
    public string PoisonPasses { get; set; } = "00:01:00,00:10:00,01:00:00";

    public IReadOnlyList<TimeSpan> PassWaits =>
        PoisonPasses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => TimeSpan.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
