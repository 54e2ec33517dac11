using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Validation;

namespace Interflow.Core.Messages;

/// <summary>A validated send request: <c>to</c> is E.164 digits, <c>content</c> is valid for <c>type</c>.</summary>
public sealed record OutgoingMessage(string ChannelId, string To, MessageType Type, JsonElement Content, string? ChatId, JsonElement? Metadata);

/// <summary>
/// <c>POST /messages/send</c>: the message joins the customer's open chat on the channel (both created when absent),
/// is stored before the provider is called, and is attempted once right away; if that attempt cannot reach the
/// provider it stays queued for the outbound queue.
/// </summary>
public sealed class SendMessage(
    IChannelStore channels,
    IChatStore chats,
    IMessageStore messages,
    CustomerCommands customers,
    ChatCommands chatCommands,
    OutboundDelivery delivery,
    TimeProvider clock)
{
    /// <param name="messageId">A caller-chosen id (bulk sends derive it from the recipient): a message that exists
    /// with it already is answered as it is, never sent again. Such a caller's own queue message is the safety net
    /// of the send, so no separate check is enqueued for it.</param>
    public async Task<Message> ExecuteAsync(Tenant tenant, OutgoingMessage request, CancellationToken cancellationToken, string? messageId = null)
    {
        var channel = await channels.GetAsync(tenant, request.ChannelId, cancellationToken)
            ?? throw new ValidationException(new FieldError("channel_id", FieldProblem.NotFound));
        var customer = await customers.FindOrCreateByPhoneAsync(tenant, request.To, null, cancellationToken);
        Chat chat;
        if (request.ChatId is { } chatId)
        {
            chat = await chats.GetAsync(tenant, chatId, cancellationToken) is { } given
                   && given.ChannelId == channel.Id && given.CustomerId == customer.Id && given.Status == ChatStatus.Open
                ? given
                : throw new ValidationException(new FieldError("chat_id", FieldProblem.NotFound));
        }
        else
        {
            (chat, _) = await chatCommands.OpenAsync(tenant, channel.Id, customer.Id, cancellationToken);
        }
        var now = clock.GetUtcNow();
        var message = new Message(
            messageId ?? Ids.New("msg"), tenant, channel.Id, chat.Id, customer.Id, MessageDirection.Outbound, request.To, request.Type,
            request.Content, request.Metadata, MessageStatus.Queued, null, null, now, now, null, null, null, null,
            Attempts: 0, LeaseUntil: null, Outbox: []);
        try
        {
            message = await delivery.CreateHeldAsync(message, safetyCheck: messageId is null, cancellationToken);
        }
        catch (DuplicateValueException) when (messageId is not null)
        {
            return await messages.GetAsync(tenant, messageId, cancellationToken) ?? throw new NotFoundException();
        }
        await chatCommands.RecordMessageAsync(chat, message, cancellationToken);
        return await delivery.AttemptAsync(message, cancellationToken);
    }
}
