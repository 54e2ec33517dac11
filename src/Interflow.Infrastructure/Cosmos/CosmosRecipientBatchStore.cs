using System.Net;
using Interflow.Core;
using Interflow.Core.Messages;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// A batch of sends' records in transactional batches in the tenant's partition: customers, then chats (new ones
/// created, reused ones' activity patched), then messages. Each batch is all or nothing; the three are not one
/// transaction, and need not be: a batch that meets a record created meanwhile throws, and the caller's one-by-one
/// fallback finds what exists (customers by phone, open chats by customer, messages by id).
/// </summary>
public sealed class CosmosRecipientBatchStore(CosmosContainers containers) : IRecipientBatchStore
{
    private static readonly TransactionalBatchItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };
    private static readonly ItemRequestOptions NoItemContent = new() { EnableContentResponseOnWrite = false };

    public async Task<RecipientBatch> CreateAsync(RecipientBatch batch, CancellationToken cancellationToken)
    {
        var partition = new PartitionKey(batch.Tenant.Key);
        var etags = new Dictionary<string, string>();
        await WriteAsync(containers.Customers, partition, batch.NewCustomers, c => c.Id, CosmosCustomerStore.CustomerDocument.From, "phone", etags, cancellationToken);
        await WriteAsync(containers.Chats, partition, batch.NewChats, c => c.Id, CosmosChatStore.ChatDocument.From, "chat", etags, cancellationToken);
        // A blind write of the newest activity: it must not fail because the chat changed meanwhile.
        await CosmosCalls.InBatchesAsync(containers.Chats, partition, batch.ReusedChats,
            (b, activity) => b.PatchItem(activity.ChatId, Activity(activity), new TransactionalBatchPatchItemRequestOptions { EnableContentResponseOnWrite = false }),
            (_, _) => { },
            activity => CosmosCalls.RunAsync(() => containers.Chats.PatchItemAsync<object>(
                activity.ChatId, partition, Activity(activity), new PatchItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken)),
            CosmosCalls.OneByOneOn(), cancellationToken);
        await WriteAsync(containers.Messages, partition, batch.NewMessages, m => m.Id, StoredMessage.From, "id", etags, cancellationToken);
        return batch with
        {
            NewCustomers = [.. batch.NewCustomers.Select(c => c with { ETag = etags[c.Id] })],
            NewChats = [.. batch.NewChats.Select(c => c with { ETag = etags[c.Id] })],
            NewMessages = [.. batch.NewMessages.Select(m => m with { ETag = etags[m.Id] })],
        };
    }

    private static PatchOperation[] Activity(ChatActivity activity)
    {
        var at = StoredTime.Format(activity.LastMessageAt);
        return [PatchOperation.Set("/lastMessageAt", at), PatchOperation.Set("/activityAt", at), PatchOperation.Set("/updatedAt", at)];
    }

    private static Task WriteAsync<T, TDocument>(
        Container container, PartitionKey partition, IReadOnlyList<T> items, Func<T, string> id, Func<T, TDocument> document, string duplicateField,
        Dictionary<string, string> etags, CancellationToken cancellationToken) =>
        CosmosCalls.InBatchesAsync(container, partition, items,
            (batch, item) => batch.CreateItem(document(item), NoContent),
            (item, etag) => etags[id(item)] = etag,
            async item =>
            {
                try
                {
                    etags[id(item)] = (await CosmosCalls.RunAsync(() => container.CreateItemAsync(document(item), partition, NoItemContent, cancellationToken))).ETag;
                }
                catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
                {
                    throw new DuplicateValueException(duplicateField);
                }
            },
            status => status == HttpStatusCode.Conflict ? new DuplicateValueException(duplicateField) : new InvalidOperationException($"transactional batch failed with {(int)status}"),
            cancellationToken);
}
