using System.Net;
using System.Net.Sockets;
using Interflow.Core.Validation;

namespace Interflow.Core.Webhooks;

/// <summary>
/// Where webhooks may go (SSRF defence): https to public addresses. Private, loopback, link-local (cloud metadata),
/// shared and multicast addresses are refused, when the endpoint is created and again on every delivery (a name may
/// resolve elsewhere later: DNS rebinding). Local runs may use plain http to loopback.
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

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0);
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
    }
}
