using Interflow.Core.Accounts;
using Interflow.Core.Paging;

namespace Interflow.Core.Messages;

/// <summary>Messages of a tenant. Creating an id that exists throws <see cref="DuplicateValueException"/> ("id"): inbound messages use ids derived from the provider's, so a replayed webhook adds nothing.</summary>
public interface IMessageStore
{
    Task<Message> CreateAsync(Message message, CancellationToken cancellationToken);

    Task<Message?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    Task<Message> ReplaceAsync(Message message, string expectedETag, CancellationToken cancellationToken);

    Task<Message?> FindByProviderIdAsync(Tenant tenant, string channelId, string providerMessageId, CancellationToken cancellationToken);

    /// <summary>The messages of these ids that exist, in one read.</summary>
    Task<IReadOnlyList<Message>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>The channel's messages with these provider ids, in one query (a batch of status reports).</summary>
    Task<IReadOnlyList<Message>> FindByProviderIdsAsync(Tenant tenant, string channelId, IReadOnlyCollection<string> providerMessageIds, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces each message only if it is still at its expected ETag, all in one write where the engine allows
    /// (one transaction, a transactional batch).
    /// </summary>
    /// <returns>Per item, the saved message, or null when someone else wrote it first (the caller re-reads it).</returns>
    Task<IReadOnlyList<Message?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<Message>> writes, CancellationToken cancellationToken);

    /// <summary>A chat's messages, oldest first unless <paramref name="newestFirst"/>.</summary>
    Task<Page<Message>> ListByChatAsync(Tenant tenant, string chatId, bool newestFirst, PageRequest page, CancellationToken cancellationToken);
}
