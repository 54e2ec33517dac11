using Interflow.Core.Accounts;
using Interflow.Core.Paging;

namespace Interflow.Core.Chats;

/// <summary>Chats of a tenant. A second open chat for one customer and channel throws <see cref="DuplicateValueException"/> ("chat").</summary>
public interface IChatStore
{
    Task<Chat> CreateAsync(Chat chat, CancellationToken cancellationToken);

    Task<Chat?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    Task<Chat?> FindOpenAsync(Tenant tenant, string channelId, string customerId, CancellationToken cancellationToken);

    /// <summary>The open chats on the channel of these customers, in one query.</summary>
    Task<IReadOnlyList<Chat>> FindOpenManyAsync(Tenant tenant, string channelId, IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken);

    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    Task<Chat> ReplaceAsync(Chat chat, string expectedETag, CancellationToken cancellationToken);

    /// <summary>Most recent activity first (last message, else creation).</summary>
    Task<Page<Chat>> ListAsync(Tenant tenant, ChatFilter filter, PageRequest page, CancellationToken cancellationToken);
}
