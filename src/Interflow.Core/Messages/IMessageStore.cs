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

    /// <summary>A chat's messages, oldest first unless <paramref name="newestFirst"/>.</summary>
    Task<Page<Message>> ListByChatAsync(Tenant tenant, string chatId, bool newestFirst, PageRequest page, CancellationToken cancellationToken);
}
