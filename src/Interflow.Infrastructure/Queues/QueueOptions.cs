namespace Interflow.Infrastructure.Queues;

/// <summary>What happens to messages the host gave up on (moved to a "-poison" queue after <c>maxDequeueCount</c> tries).</summary>
public sealed class QueueOptions
{
    /// <summary>
    /// Waits before each later pass of a poisoned message on its own queue (<see cref="Core.Waits"/>); after the last,
    /// the queue's final answer settles what the message was for.
    /// </summary>
    public string PoisonPasses { get; set; } = "00:01:00,00:10:00,01:00:00";

    public IReadOnlyList<TimeSpan> PassWaits => Core.Waits.Parse(PoisonPasses);
}
