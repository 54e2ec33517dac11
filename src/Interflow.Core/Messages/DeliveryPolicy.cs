namespace Interflow.Core.Messages;

/// <summary>How outbound delivery retries; configurable so that tests can compress the schedule.</summary>
public sealed class DeliveryPolicy
{
    /// <summary>Provider calls before a message is finally failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each later one doubles, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one attempt holds a message: longer than a provider call with its own retries can take.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
}
