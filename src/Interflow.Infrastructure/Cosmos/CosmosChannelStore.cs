using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Paging;
using Interflow.Infrastructure.Sqlite;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Channels by id (point reads); a tenant's list is a cross-partition query, fine for a handful of channels per account.</summary>
public sealed class CosmosChannelStore(CosmosContainers containers) : IChannelStore
{
    private Container Container => containers.Channels;

    public Task CreateAsync(Channel channel, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => Container.CreateItemAsync(ChannelDocument.From(channel), new PartitionKey(channel.Id), cancellationToken: cancellationToken));

    public async Task<Channel?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } channel && channel.Tenant == tenant ? channel : null;

    public async Task<Channel?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await CosmosCalls.ReadAsync<ChannelDocument>(Container, id, new PartitionKey(id), cancellationToken))?.Resource.ToChannel();

    public async Task<Page<Channel>> ListAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken)
    {
        if (page.ByCursor)
        {
            var walk = CosmosWalk.Query(page, "c.tenantId = @tenant", new Dictionary<string, object> { ["@tenant"] = tenant.Key });
            var walked = await CosmosCalls.QueryAsync<ChannelDocument>(Container, walk, null, cancellationToken);
            return Page<Channel>.Walked([.. walked.Select(d => d.ToChannel())], page, c => new ListPosition(c.CreatedAt, c.Id));
        }
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant ORDER BY c.createdAt DESC OFFSET @skip LIMIT @take")
            .WithParameter("@tenant", tenant.Key).WithParameter("@skip", page.Skip).WithParameter("@take", page.PerPage);
        var count = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant").WithParameter("@tenant", tenant.Key);
        var docs = await CosmosCalls.QueryAsync<ChannelDocument>(Container, query, null, cancellationToken);
        var total = (await CosmosCalls.QueryAsync<long>(Container, count, null, cancellationToken)).Sum();
        return new Page<Channel>(docs.Select(d => d.ToChannel()).ToArray(), total);
    }

    private sealed record ChannelDocument(string Id, string TenantId, string Kind, string Name, WhatsAppCredentials? WhatsApp, int MessagesPerSecond, string CreatedAt)
    {
        public static ChannelDocument From(Channel c) =>
            new(c.Id, c.Tenant.Key, c.Kind.ToName(), c.Name, c.WhatsApp, c.MessagesPerSecond, StoredTime.Format(c.CreatedAt));

        public Channel ToChannel() =>
            new(Id, SqliteOutbox.ParseTenant(TenantId), ChannelKinds.Parse(Kind), Name, WhatsApp, MessagesPerSecond, StoredTime.Parse(CreatedAt));
    }
}
