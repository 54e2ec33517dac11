using System.Net;
using System.Net.Sockets;
using Interflow.Core.Validation;

namespace Interflow.Core.Webhooks;

/// <summary>
/// Where webhooks may go (SSRF defence): https to globally reachable addresses only. Everything in
/// <see cref="Refused"/> is refused when the endpoint is created and again on every delivery, on the address the
/// sender connects to (a name may resolve elsewhere later: DNS rebinding). Every spelling of an address (integer,
/// hex, octal, IPv4 inside IPv6) is judged by the address it means. Local runs may use plain http to loopback.
/// </summary>
public sealed class WebhookUrlPolicy(IHostResolver resolver, WebhookOptions options)
{
    public async Task<FieldProblem?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return FieldProblem.InvalidUrl;
        }
        var loopbackHttp = options.AllowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp;
        if (uri.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            return FieldProblem.InvalidUrl;
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return FieldProblem.Unresolvable;
        }
        if (addresses.Length == 0)
        {
            return FieldProblem.Unresolvable;
        }
        return addresses.All(a => IsAllowed(a, loopbackHttp)) ? null : FieldProblem.ForbiddenAddress;
    }

    /// <summary>The check the sender applies to the address it is about to connect to.</summary>
    public bool IsAllowed(IPAddress address, bool loopbackHttp) =>
        !IsInternal(address) || (loopbackHttp && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    public bool AllowsLoopbackHttp(Uri uri) => options.AllowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp;

    /// <summary>
    /// Addresses that are not globally reachable (IANA special-purpose registries): this network, private, shared
    /// (CGNAT), loopback, link-local (cloud metadata), protocol assignments, documentation, benchmarking, multicast,
    /// reserved and broadcast; in IPv6 also unique-local, site-local, discard, Teredo and 6to4. IPv4 written inside
    /// IPv6 (mapped, NAT64) is judged as the IPv4 address it reaches.
    /// </summary>
    private static readonly IPNetwork[] Refused =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/8", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
            "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (Nat64.Contains(address))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }
        return Refused.Any(network => network.Contains(address));
    }
}
