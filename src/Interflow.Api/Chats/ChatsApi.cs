using Interflow.Api.Customers;
using Interflow.Api.Http;
using Interflow.Api.Messages;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Messages;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Chats;

/// <summary>The Chats resource: conversations of a customer on a channel, and their messages.</summary>
public static class ChatsApi
{
    public const string Collection = "v1/chats";
    public const string Item = "v1/chats/{id}";
    public const string ItemMessages = "v1/chats/{id}/messages";

    private const string Tag = "Chats";

    /// <summary>What a restricted key needs of this feature: read for its GETs, write for the rest.</summary>
    private const string Resource = "chats";

    public static readonly ApiRoute List = new("GET", Collection, "ListChats", "List chats, most recent activity first", RouteAccess.ApiKey, ListAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Query =
        [
            .. QueryParameter.Paging,
            new("status", "Only open or only closed chats", Allowed: ["open", "closed"]),
            new("channel_id", "Chats on this channel"),
            new("customer_id", "Chats of this customer"),
        ],
        Responses = [ApiResponse.ListOf<ChatView>("A page of chats")],
    };

    public static readonly ApiRoute Create = new("POST", Collection, "CreateChat", "Open a chat (answers the open one when it exists)", RouteAccess.ApiKey, CreateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(NewChatBody),
        Responses =
        [
            ApiResponse.Resource<ChatView>(201, "The chat, opened now"),
            ApiResponse.Resource<ChatView>(200, "The chat that was already open for this customer and channel"),
        ],
    };

    public static readonly ApiRoute Get = new("GET", Item, "GetChat", "Get a chat", RouteAccess.ApiKey, GetAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<ChatView>(200, "The chat")],
    };

    public static readonly ApiRoute Update = new("PUT", Item, "UpdateChat", "Close or reopen a chat, or mark it read", RouteAccess.ApiKey, UpdateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(ChatChangesBody),
        Responses = [ApiResponse.Resource<ChatView>(200, "The chat as updated")],
        // Reopening a chat while the customer has another open chat on the channel.
        Errors = [ErrorCode.Conflict],
    };

    public static readonly ApiRoute Messages = new("GET", ItemMessages, "ListChatMessages", "A chat's messages, oldest first", RouteAccess.ApiKey, MessagesAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Query = [.. QueryParameter.Paging, new("order", "asc (default) or desc", Allowed: ["asc", "desc"])],
        Responses = [ApiResponse.ListOf<MessageView>("A page of the chat's messages")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [List, Create, Get, Update, Messages];

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var query = new QueryFields(request.Request.Query, errors);
        var page = query.Page();
        var status = query.OneOf("status", "open", "closed");
        var filter = new ChatFilter(
            status is null ? null : EnumNames.Parse<ChatStatus>(status), query.Text("channel_id", 100), query.Text("customer_id", 100));
        errors.ThrowIfAny();
        var result = await request.Service<IChatStore>().ListAsync(request.Tenant, filter, page, request.Aborted);
        return ApiResult.List(result.Items.Select(ChatView.From).ToArray(), page, result);
    }

    /// <summary><c>{channel_id, customer_id}</c> or <c>{channel_id, phone}</c>; 201 when opened now, 200 with the chat already open.</summary>
    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var channelId = fields.RequiredString("channel_id", 100);
        var customerId = fields.String("customer_id", 100);
        var phoneText = fields.String("phone", 16);
        fields.RejectUnknown();
        string? phone = null;
        if (customerId.Value is null == phoneText.Value is null && fields.IsObject)
        {
            errors.Add("customer_id", FieldProblem.OneOfRequired, "customer_id, phone");
        }
        else if (phoneText.Value is { } text && !CustomerRequest.TryPhone(text, out phone))
        {
            errors.Add("phone", FieldProblem.InvalidPhone);
        }
        errors.ThrowIfAny();

        var tenant = request.Tenant;
        if (await request.Service<IChannelStore>().GetAsync(tenant, channelId!, request.Aborted) is null)
        {
            throw new ValidationException(new FieldError("channel_id", FieldProblem.NotFound));
        }
        Customer customer = phone is not null
            ? await request.Service<CustomerCommands>().FindOrCreateByPhoneAsync(tenant, phone, null, request.Aborted)
            : await request.Service<ICustomerStore>().GetAsync(tenant, customerId.Value!, request.Aborted)
              ?? throw new ValidationException(new FieldError("customer_id", FieldProblem.NotFound));
        var (chat, created) = await request.Service<ChatCommands>().OpenAsync(tenant, channelId!, customer.Id, request.Aborted);
        return ApiResult.Resource(ChatView.From(chat), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var chat = await request.Service<IChatStore>().GetAsync(request.Tenant, request.RouteValue("id"), request.Aborted)
            ?? throw new NotFoundException();
        return ApiResult.Resource(ChatView.From(chat));
    }

    /// <summary><c>{status: "open"|"closed"}</c> and/or <c>{unread_count: 0}</c> (mark read); If-Match honoured.</summary>
    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var statusName = fields.String("status", 10, nullable: false);
        var unread = fields.Number("unread_count", 0, 0);
        fields.RejectUnknown();
        ChatStatus? status = null;
        if (statusName.Value is { } name)
        {
            if (EnumNames.TryParse<ChatStatus>(name, out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.Add("status", FieldProblem.InvalidValue, "open, closed");
            }
        }
        errors.ThrowIfAny();
        var ifMatch = EntityTags.IfMatch(request.Request);
        var chat = await request.Service<ChatCommands>().UpdateAsync(
            request.Tenant, request.RouteValue("id"), status, unread.IsSet,
            ifMatch is null ? null : current => EntityTags.For(ChatView.From(current)) == ifMatch, request.Aborted);
        return ApiResult.Resource(ChatView.From(chat));
    }

    private static async Task<ApiResult> MessagesAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var query = new QueryFields(request.Request.Query, errors);
        var page = query.Page();
        var newestFirst = query.OneOf("order", "asc", "desc") == "desc";
        errors.ThrowIfAny();
        var tenant = request.Tenant;
        var chatId = request.RouteValue("id");
        _ = await request.Service<IChatStore>().GetAsync(tenant, chatId, request.Aborted) ?? throw new NotFoundException();
        var result = await request.Service<IMessageStore>().ListByChatAsync(tenant, chatId, newestFirst, page, request.Aborted);
        return ApiResult.List(result.Items.Select(MessageView.Of).ToArray(), page, result);
    }
}
