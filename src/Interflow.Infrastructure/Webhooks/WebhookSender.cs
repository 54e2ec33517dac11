using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Webhooks;

/// <summary>
/// Signed POSTs to subscribers. The connection is opened by this class to an address it has just resolved and
/// checked, so a name that now points inside the network (DNS rebinding) is refused at delivery time, not only at
/// registration. No redirects are followed; the timeout cuts a receiver that hangs.
/// </summary>
public sealed class WebhookSender : IWebhookSender, IDisposable
{
    private readonly HttpClient http;
    private readonly IHostResolver resolver;
    private readonly WebhookUrlPolicy policy;
    private readonly TimeProvider clock;

    public WebhookSender(IHostResolver resolver, WebhookUrlPolicy policy, WebhookOptions options, TimeProvider clock)
    {
        this.resolver = resolver;
        this.policy = policy;
        this.clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        http = new HttpClient(handler) { Timeout = options.Timeout };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Interflow-Webhooks", "1.0"));
    }

    public async Task<SendOutcome> SendAsync(WebhookEndpoint endpoint, string eventId, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(endpoint.Secret, eventId, timestamp, body));
        request.Options.Set(LoopbackHttp, policy.AllowsLoopbackHttp(new Uri(endpoint.Url)));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new SendOutcome((int)response.StatusCode, null, watch.ElapsedMilliseconds);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(null, "timeout", watch.ElapsedMilliseconds);
        }
        catch (HttpRequestException exception) when (exception.InnerException is ForbiddenAddressException)
        {
            return new SendOutcome(null, "forbidden address", watch.ElapsedMilliseconds);
        }
        catch (HttpRequestException exception)
        {
            return new SendOutcome(null, exception.HttpRequestError.ToString(), watch.ElapsedMilliseconds);
        }
    }

    public void Dispose() => http.Dispose();

    private static readonly HttpRequestOptionsKey<bool> LoopbackHttp = new("interflow.loopback-http");

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        context.InitialRequestMessage.Options.TryGetValue(LoopbackHttp, out var loopbackHttp);
        var allowed = addresses.Where(a => policy.IsAllowed(a, loopbackHttp)).ToArray();
        if (allowed.Length == 0 || allowed.Length != addresses.Length)
        {
            throw new ForbiddenAddressException();
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class ForbiddenAddressException() : Exception("the webhook host resolves to a forbidden address");
}
