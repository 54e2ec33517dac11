using Interflow.Core.Accounts;
using Interflow.Core.Paging;

namespace Interflow.Core.Channels;

public interface IChannelStore
{
    Task CreateAsync(Channel channel, CancellationToken cancellationToken);

    Task<Channel?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <summary>By id alone: the provider's inbound webhook names the channel, not the tenant.</summary>
    Task<Channel?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<Page<Channel>> ListAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken);
}
