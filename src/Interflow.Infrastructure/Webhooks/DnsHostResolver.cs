using System.Net;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Webhooks;

public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
