using Interflow.Core.Paging;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Interflow.Api.Composition;

/// <summary>
/// Channel reads by id, cached per instance for <see cref="InterflowOptions.ChannelCacheSeconds"/>: every send and
/// bulk block reads its channel, and the API never changes a channel once created (there is no update or delete),
/// so a cached one is the stored one. Only channels found are cached, so one created on another instance is found
/// at once. Lists are not cached.
/// </summary>
public sealed class ChannelReadCache(IChannelStore inner, IMemoryCache cache, IOptions<InterflowOptions> options) : IChannelStore
{
    private TimeSpan CacheFor => TimeSpan.FromSeconds(options.Value.ChannelCacheSeconds);

    public Task CreateAsync(Channel channel, CancellationToken cancellationToken) => inner.CreateAsync(channel, cancellationToken);

    public Task<Channel?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        ReadAsync($"channel:{tenant.Key}:{id}", () => inner.GetAsync(tenant, id, cancellationToken));

    public Task<Channel?> FindAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync($"channel:{id}", () => inner.FindAsync(id, cancellationToken));

    public Task<Page<Channel>> ListAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken) =>
        inner.ListAsync(tenant, page, cancellationToken);

    private async Task<Channel?> ReadAsync(string key, Func<Task<Channel?>> read)
    {
        if (CacheFor <= TimeSpan.Zero)
        {
            return await read();
        }
        if (cache.TryGetValue(key, out Channel? cached))
        {
            return cached;
        }
        var channel = await read();
        if (channel is not null)
        {
            cache.Set(key, channel, CacheFor);
        }
        return channel;
    }
}
