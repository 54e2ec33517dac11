using System.Security.Cryptography;
using System.Text;
using Interflow.Api.Http;
using Interflow.Core;
using Interflow.Core.Channels;
using Interflow.Core.Messages;
using Interflow.Infrastructure.Channels;

namespace Interflow.Api.Inbound;

/// <summary>
/// The WhatsApp Cloud API webhook of a channel, outside <c>/v1</c> (Meta calls it, not an API-key holder): the GET
/// verification challenge and the signed POST notifications.
/// </summary>
public static class WhatsAppWebhookApi
{
    public const string Route = "hooks/whatsapp/{channelId}";

    private const string Tag = "Provider webhooks";

    public static readonly ApiRoute Verify = new("GET", Route, "WhatsAppWebhookVerify", "Meta's subscription challenge", RouteAccess.Provider, VerifyAsync)
    {
        Tag = Tag,
        Query =
        [
            new("hub.mode", "subscribe", Allowed: ["subscribe"]),
            new("hub.verify_token", "The channel's verify token"),
            new("hub.challenge", "Echoed back when the token matches"),
        ],
        Responses = [ApiResponse.Raw("text/plain", "The challenge, echoed")],
        Errors = [ErrorCode.Forbidden],
    };

    public static readonly ApiRoute Receive = new("POST", Route, "WhatsAppWebhookReceive", "Inbound messages and status reports, signed with X-Hub-Signature-256", RouteAccess.Provider, ReceiveAsync)
    {
        Tag = Tag,
        Body = typeof(System.Text.Json.JsonElement),
        Responses = [ApiResponse.Ok<ReceivedView>("How many messages were stored and statuses queued")],
        Errors = [ErrorCode.Unauthorized],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [Verify, Receive];

    private static async Task<ApiResult> VerifyAsync(ApiRequest request)
    {
        var query = request.Request.Query;
        var channel = await WhatsAppChannelAsync(request);
        var token = query["hub.verify_token"].ToString();
        if (query["hub.mode"] != "subscribe"
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(channel.WhatsApp!.VerifyToken)))
        {
            throw new ApiException(ErrorCode.Forbidden, ErrorText.InvalidSignature);
        }
        return ApiResult.Text(query["hub.challenge"].ToString());
    }

    /// <summary>Nothing is read or stored before the signature checks out; a replayed notification changes nothing.</summary>
    private static async Task<ApiResult> ReceiveAsync(ApiRequest request)
    {
        var channel = await WhatsAppChannelAsync(request);
        if (!WhatsAppWebhook.IsSigned(request.RawBody, request.Request.Headers["X-Hub-Signature-256"], channel.WhatsApp!.AppSecret))
        {
            throw new ApiException(ErrorCode.Unauthorized, ErrorText.InvalidSignature);
        }
        var notification = WhatsAppWebhook.Parse(request.Body, channel.Id);
        var inbound = request.Service<InboundMessages>();
        var received = 0;
        foreach (var message in notification.Messages)
        {
            received += await inbound.ReceiveAsync(channel, message, request.Aborted) is null ? 0 : 1;
        }
        // Status reports are applied from the queue, one queue message for the whole POST (Meta batches them so).
        await request.Service<IProviderStatusQueue>().EnqueueAsync(new ProviderStatusBatch(notification.Statuses), TimeSpan.Zero, request.Aborted);
        return ApiResult.Ok(new ReceivedView(received, notification.Statuses.Count));
    }

    private static async Task<Channel> WhatsAppChannelAsync(ApiRequest request) =>
        await request.Service<IChannelStore>().FindAsync(request.RouteValue("channelId"), request.Aborted) is { Kind: ChannelKind.WhatsAppCloud, WhatsApp: not null } channel
            ? channel
            : throw new NotFoundException();
}

/// <summary>What a notification brought: new inbound messages stored, and status reports queued to apply.</summary>
public sealed record ReceivedView(int Received, int Statuses);
