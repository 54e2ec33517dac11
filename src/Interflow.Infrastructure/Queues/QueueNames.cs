namespace Interflow.Infrastructure.Queues;

/// <summary>Every queue the app uses; infra/main.bicep declares the same names (a test keeps them in step).</summary>
public static class QueueNames
{
    /// <summary>Outbound delivery attempts (<see cref="Core.Messages.OutboundWork"/>).</summary>
    public const string Outbound = "outbound";

    /// <summary>Where the Functions host moves outbound messages it gave up on (its "-poison" convention).</summary>
    public const string OutboundPoison = "outbound-poison";

    /// <summary>Provider status reports to apply (<see cref="Core.Messages.ProviderStatus"/>).</summary>
    public const string ProviderStatuses = "provider-statuses";

    public const string ProviderStatusesPoison = "provider-statuses-poison";

    public static IReadOnlyList<string> All { get; } = [Outbound, OutboundPoison, ProviderStatuses, ProviderStatusesPoison];
}
