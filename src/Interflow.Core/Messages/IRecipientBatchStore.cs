using Interflow.Core.Accounts;
using Interflow.Core.Chats;
using Interflow.Core.Customers;

namespace Interflow.Core.Messages;

/// <summary>
/// What a batch of sends adds at once: the customers and open chats it creates, the activity of the open chats it
/// reuses, and its messages, held for their first attempt.
/// </summary>
public sealed record RecipientBatch(
    Tenant Tenant,
    IReadOnlyList<Customer> NewCustomers,
    IReadOnlyList<Chat> NewChats,
    IReadOnlyList<ChatActivity> ReusedChats,
    IReadOnlyList<Message> NewMessages);

/// <summary>A reused chat's newest message time.</summary>
public sealed record ChatActivity(string ChatId, DateTimeOffset LastMessageAt);

/// <summary>Writes a batch of sends' records together instead of one write per record.</summary>
public interface IRecipientBatchStore
{
    /// <summary>
    /// One transaction on SQLite; on Cosmos DB one transactional batch per container (customers, chats, messages),
    /// each all or nothing, in that order.
    /// </summary>
    /// <returns>The batch with the records' ETags.</returns>
    /// <exception cref="DuplicateValueException">A phone, an open chat or a message id exists already (a concurrent
    /// send): the caller falls back to sending one by one, which finds what exists.</exception>
    Task<RecipientBatch> CreateAsync(RecipientBatch batch, CancellationToken cancellationToken);
}
