using System.Diagnostics;
using Interflow.Api.Http;
using Interflow.Core;
using Interflow.Core.Messages;
using Interflow.Core.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Messages;

/// <summary>The Messages resource: send one, and read one with its status history.</summary>
public static class MessagesApi
{
    public const string Send = "v1/messages/send";
    public const string Item = "v1/messages/{id}";

    private const string Tag = "Messages";

    /// <summary>What a restricted key needs of this feature: read for its GETs, write for the rest.</summary>
    private const string Resource = "messages";

    public static readonly ApiRoute SendRoute = new("POST", Send, "SendMessage", "Send a message (201 once the provider accepted it, 202 while queued)", RouteAccess.ApiKey, SendAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(SendMessageBody),
        RequestExample = """
            {"channel_id": "uuid-do-canal", "to": "5511999999999", "type": "text", "content": {"text": "Olá! Esta é uma mensagem via API."}}
            """,
        Responses =
        [
            ApiResponse.Resource<MessageView>(201, "Sent: the provider accepted it") with
            {
                Example = """
                    {"id": "msg_abc123", "status": "sent", "channel_id": "uuid-do-canal", "chat_id": "chat_4f2a", "customer_id": "cust_xyz789",
                     "direction": "outbound", "to": "5511999999999", "from": null, "type": "text", "content": {"text": "Olá! Esta é uma mensagem via API."},
                     "metadata": null, "error": null, "created_at": "2024-01-15T10:30:00Z", "updated_at": "2024-01-15T10:30:00Z",
                     "sent_at": "2024-01-15T10:30:00Z", "delivered_at": null, "read_at": null, "failed_at": null}
                    """,
            },
            ApiResponse.Resource<MessageView>(202, "Queued: the provider could not be reached; the queue retries it until sent or finally failed"),
        ],
    };

    public static readonly ApiRoute Get = new("GET", Item, "GetMessage", "Get a message with its status timestamps", RouteAccess.ApiKey, GetAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<MessageView>(200, "The message")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [SendRoute, Get];

    private static async Task<ApiResult> SendAsync(ApiRequest request)
    {
        var outgoing = MessageRequest.Read(request.Body);
        var message = await request.Service<SendGroups>().SendAsync(request.Tenant, outgoing, request.Aborted);
        Activity.Current?.SetTag(InterflowTelemetry.Tags.MessageId, message.Id);
        // 202 while the provider could not be reached: the outbound queue owns the message now.
        var status = message.Status == MessageStatus.Queued ? StatusCodes.Status202Accepted : StatusCodes.Status201Created;
        return ApiResult.Resource(MessageView.Of(message), status);
    }

    private static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var message = await request.Service<IMessageStore>().GetAsync(request.Tenant, request.RouteValue("id"), request.Aborted)
            ?? throw new NotFoundException();
        return ApiResult.Resource(MessageView.Of(message));
    }
}
