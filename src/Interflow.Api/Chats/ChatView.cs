using Interflow.Api.OpenApi;
using Interflow.Core;
using Interflow.Core.Chats;

namespace Interflow.Api.Chats;

public sealed record ChatView(
    string Id, string ChannelId, string CustomerId, [property: EnumOf(typeof(ChatStatus))] string Status, DateTimeOffset? LastMessageAt, int UnreadCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt)
{
    public static ChatView From(Chat chat) => new(
        chat.Id, chat.ChannelId, chat.CustomerId, EnumNames.Name(chat.Status), chat.LastMessageAt, chat.UnreadCount,
        chat.CreatedAt, chat.UpdatedAt, chat.ClosedAt);
}
