using Interflow.Api.Http;
using Interflow.Core;
using Interflow.Core.Messages;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Messages;

/// <summary>The Messages resource: send one, and read one with its status history.</summary>
public static class MessagesApi
{
    public const string Send = "v1/messages/send";
    public const string Item = "v1/messages/{id}";

    public static readonly ApiRoute SendRoute = new("POST", Send, "SendMessage", "Send a message (201 once the provider accepted it, 202 while queued)", RouteAccess.ApiKey, SendAsync);
    public static readonly ApiRoute Get = new("GET", Item, "GetMessage", "Get a message with its status timestamps", RouteAccess.ApiKey, GetAsync);

    public static IReadOnlyList<ApiRoute> Routes { get; } = [SendRoute, Get];

    private static async Task<ApiResult> SendAsync(ApiRequest request)
    {
        var outgoing = MessageRequest.Read(request.Body);
        var message = await request.Service<SendMessage>().ExecuteAsync(request.Tenant, outgoing, request.Aborted);
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
