namespace Interflow.Core.Webhooks;

/// <summary>Webhook delivery settings; the schedule is configurable so that tests can compress it.</summary>
public sealed class WebhookOptions
{
    /// <summary>Waits before each retry (<see cref="Waits"/>; Standard Webhooks' schedule: 7 retries after the first try).</summary>
    public string RetrySchedule { get; set; } = "00:00:05,00:05:00,00:30:00,02:00:00,05:00:00,10:00:00,10:00:00";

    public IReadOnlyList<TimeSpan> Delays => Waits.Parse(RetrySchedule);

    /// <summary>A receiver that has not answered by then has failed that try.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Local runs only: plain http to loopback receivers. Production accepts https to public addresses only.</summary>
    [Interflow.Core.LocalOnly]
    public bool AllowLoopbackHttp { get; set; }

    public TimeSpan Lease => Timeout + Timeout + TimeSpan.FromSeconds(5);
}
