using System.Net;
using System.Text.Json.Serialization;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Chats;
using Interflow.Core.Events;
using Interflow.Core.Paging;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Chats partitioned by tenant; the unique key on <c>/openKey</c> makes "one open chat per customer and channel" the store's rule, not a race.</summary>
public sealed class CosmosChatStore(CosmosContainers containers) : IChatStore
{

    private Container Container => containers.Chats;


    public async Task<Chat> CreateAsync(Chat chat, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CosmosCalls.RunAsync(() => Container.CreateItemAsync(ChatDocument.From(chat), new PartitionKey(chat.Tenant.Key), cancellationToken: cancellationToken));
            return chat with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DuplicateValueException("chat");
        }
    }

    public async Task<Chat?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<ChatDocument>(Container, id, new PartitionKey(tenant.Key), cancellationToken);
        return response?.Resource.ToChat(tenant, response.ETag);
    }

    public async Task<Chat?> FindOpenAsync(Tenant tenant, string channelId, string customerId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND c.openKey = @open")
            .WithParameter("@tenant", tenant.Key).WithParameter("@open", OpenKey(channelId, customerId));
        var docs = await CosmosCalls.QueryAsync<ChatDocument>(Container, query, Options(tenant), cancellationToken);
        return docs.Select(d => d.ToChat(tenant, d.ETag!)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Chat>> FindOpenManyAsync(Tenant tenant, string channelId, IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken)
    {
        if (customerIds.Count == 0)
        {
            return [];
        }
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND ARRAY_CONTAINS(@open, c.openKey)")
            .WithParameter("@tenant", tenant.Key).WithParameter("@open", customerIds.Select(id => OpenKey(channelId, id)).ToArray());
        var docs = await CosmosCalls.QueryAsync<ChatDocument>(Container, query, Options(tenant), cancellationToken);
        return [.. docs.Select(d => d.ToChat(tenant, d.ETag!))];
    }

    public async Task<Chat> ReplaceAsync(Chat chat, string expectedETag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CosmosCalls.ReplaceAsync(
                Container, ChatDocument.From(chat), chat.Id, new PartitionKey(chat.Tenant.Key), expectedETag, cancellationToken);
            return chat with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DuplicateValueException("chat");
        }
    }

    public async Task<Page<Chat>> ListAsync(Tenant tenant, ChatFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var where = "c.tenantId = @tenant";
        var parameters = new Dictionary<string, object> { ["@tenant"] = tenant.Key };
        if (filter.Status is { } status)
        {
            where += " AND c.status = @status";
            parameters["@status"] = EnumNames.Name(status);
        }
        if (filter.ChannelId is { } channel)
        {
            where += " AND c.channelId = @channel";
            parameters["@channel"] = channel;
        }
        if (filter.CustomerId is { } customer)
        {
            where += " AND c.customerId = @customer";
            parameters["@customer"] = customer;
        }
        if (page.ByCursor)
        {
            // By creation, not by last activity: an order that moves while the list is walked would skip chats.
            var walked = await CosmosCalls.QueryAsync<ChatDocument>(Container, CosmosWalk.Query(page, where, parameters), Options(tenant), cancellationToken);
            return Page<Chat>.Walked([.. walked.Select(d => d.ToChat(tenant, d.ETag!))], page, c => new ListPosition(c.CreatedAt, c.Id));
        }
        var pageQuery = CosmosCalls.Parameterize(
            new QueryDefinition($"SELECT * FROM c WHERE {where} ORDER BY c.activityAt DESC, c.id DESC OFFSET @skip LIMIT @take"),
            parameters).WithParameter("@skip", page.Skip).WithParameter("@take", page.PerPage);
        var countQuery = CosmosCalls.Parameterize(new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {where}"), parameters);
        var docs = await CosmosCalls.QueryAsync<ChatDocument>(Container, pageQuery, Options(tenant), cancellationToken);
        var total = (await CosmosCalls.QueryAsync<long>(Container, countQuery, Options(tenant), cancellationToken)).Sum();
        return new Page<Chat>(docs.Select(d => d.ToChat(tenant, d.ETag!)).ToArray(), total);
    }

    private static QueryRequestOptions Options(Tenant tenant) => new() { PartitionKey = new PartitionKey(tenant.Key) };

    private static string OpenKey(string channelId, string customerId) => $"open:{channelId}:{customerId}";

    /// <param name="OpenKey">Channel and customer while open; a per-chat placeholder once closed, so closed chats never collide.</param>
    internal sealed record ChatDocument(
        string Id, string TenantId, string ChannelId, string CustomerId, string Status, string OpenKey, string? LastMessageAt,
        string ActivityAt, int UnreadCount, string CreatedAt, string UpdatedAt, string? ClosedAt, IReadOnlyList<DomainEvent> Outbox,
        bool HasOutbox, [property: JsonPropertyName("_etag")] string? ETag = null)
    {
        public static ChatDocument From(Chat c) => new(
            c.Id, c.Tenant.Key, c.ChannelId, c.CustomerId, EnumNames.Name(c.Status),
            c.Status == ChatStatus.Open ? CosmosChatStore.OpenKey(c.ChannelId, c.CustomerId) : $"closed:{c.Id}",
            c.LastMessageAt is { } last ? StoredTime.Format(last) : null, StoredTime.Format(c.ActivityAt), c.UnreadCount,
            StoredTime.Format(c.CreatedAt), StoredTime.Format(c.UpdatedAt), c.ClosedAt is { } closed ? StoredTime.Format(closed) : null,
            c.Outbox, c.Outbox.Count > 0);

        public Chat ToChat(Tenant tenant, string etag) => new(
            Id, tenant, ChannelId, CustomerId, EnumNames.Parse<ChatStatus>(Status), LastMessageAt is null ? null : StoredTime.Parse(LastMessageAt),
            UnreadCount, StoredTime.Parse(CreatedAt), StoredTime.Parse(UpdatedAt), ClosedAt is null ? null : StoredTime.Parse(ClosedAt),
            Outbox ?? [], etag);
    }
}
