using System.Text.Json.Serialization;
using Interflow.Core.Accounts;

namespace Interflow.Core.Messages;

/// <summary>
/// A queued delivery attempt of an outbound message: ids only, the message itself is in the store. The safety check
/// of a group-committed block of sends (<see cref="SendGroups"/>) is one queue message naming every message of the
/// block: <see cref="MoreMessageIds"/> follow the first.
/// </summary>
public sealed record OutboundWork(string AccountId, string Environment, string MessageId, IReadOnlyList<string>? MoreMessageIds = null)
{
    public static OutboundWork For(Message message) => new(message.Tenant.AccountId, message.Tenant.Environment.ToName(), message.Id);

    public static OutboundWork ForBlock(Tenant tenant, IReadOnlyList<string> messageIds) =>
        new(tenant.AccountId, tenant.Environment.ToName(), messageIds[0], messageIds.Count > 1 ? [.. messageIds.Skip(1)] : null);

    [JsonIgnore]
    public IReadOnlyList<string> MessageIds => [MessageId, .. MoreMessageIds ?? []];

    // Derived from the ids: queue messages and activity inputs carry ids only.
    [JsonIgnore]
    public Tenant Tenant => new(AccountId, ApiEnvironmentNames.Parse(Environment));
}

/// <summary>A provider's report on an outbound message (WhatsApp status webhook, or the sandbox's simulation).</summary>
public sealed record ProviderStatus(string ChannelId, string ProviderMessageId, string Status, DateTimeOffset At, string? ErrorCode = null, string? ErrorMessage = null);

/// <summary>
/// Reports applied together, as a provider sends them (Meta puts many statuses in one webhook POST): one queue
/// message carries many.
/// </summary>
/// <param name="Attempt">How often it was looked at: a report can arrive before the send that it reports is stored.</param>
public sealed record ProviderStatusBatch(IReadOnlyList<ProviderStatus> Reports, int Attempt = 0);

public interface IOutboundQueue
{
    /// <param name="delay">The message stays invisible this long: the backoff before the attempt.</param>
    Task EnqueueAsync(OutboundWork work, TimeSpan delay, CancellationToken cancellationToken);
}

public interface IProviderStatusQueue
{
    /// <summary>Enqueues the batch in as few queue messages as fit (a queue message holds 64 KiB).</summary>
    Task EnqueueAsync(ProviderStatusBatch batch, TimeSpan delay, CancellationToken cancellationToken);
}
