using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Interflow.Api.OpenApi;
using Interflow.Core.Chats;

namespace Interflow.Api.Chats;

// The documented shapes of the chat bodies; ChatsApi's handlers validate them.

[RequiresOneOf(true, "customer_id", "phone")]
public sealed record NewChatBody(
    [property: Required, MaxLength(100)] string ChannelId,
    [property: MaxLength(100)] string? CustomerId,
    [property: MaxLength(16), Description("E.164 digits without '+': the customer is found or created by it")] string? Phone);

public sealed record ChatChangesBody(
    [property: EnumOf(typeof(ChatStatus)), Description("Close or reopen")] string? Status,
    [property: Range(0, 0), Description("0 marks the chat read")] int? UnreadCount);
