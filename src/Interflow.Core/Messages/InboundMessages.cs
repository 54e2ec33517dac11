using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;

namespace Interflow.Core.Messages;

/// <summary>A message a customer sent, as a provider reported it.</summary>
public sealed record IncomingMessage(string ProviderMessageId, string From, string? ProfileName, MessageType Type, JsonElement Content, DateTimeOffset At);

/// <summary>
/// Stores inbound messages: the customer is found or created by phone, the chat opened or reused. The message id
/// is derived from the provider's, so the same provider event twice adds nothing.
/// </summary>
public sealed class InboundMessages(
    IMessageStore messages, CustomerCommands customers, ChatCommands chats, EventFactory events, EventRelay relay, TimeProvider clock)
{
    /// <returns>The stored message, or null when it had been received already.</returns>
    public async Task<Message?> ReceiveAsync(Channel channel, IncomingMessage incoming, CancellationToken cancellationToken)
    {
        var id = "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{channel.Id}|{incoming.ProviderMessageId}")))[..24];
        if (await messages.GetAsync(channel.Tenant, id, cancellationToken) is not null)
        {
            return null;
        }
        var customer = await customers.FindOrCreateByPhoneAsync(channel.Tenant, incoming.From, incoming.ProfileName, cancellationToken);
        var (chat, _) = await chats.OpenAsync(channel.Tenant, channel.Id, customer.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var message = new Message(
            id, channel.Tenant, channel.Id, chat.Id, customer.Id, MessageDirection.Inbound, incoming.From, incoming.Type,
            incoming.Content, null, MessageStatus.Received, null, incoming.ProviderMessageId, incoming.At, now,
            null, null, null, null, 0, null, []);
        message = message with { Outbox = [events.Create(EventTypes.MessageReceived, id, message, now)] };
        try
        {
            message = await messages.CreateAsync(message, cancellationToken);
        }
        catch (DuplicateValueException)
        {
            return null;
        }
        await relay.TryRelayAsync(new OutboxEntry(OutboundDelivery.Kind, message.Tenant, message.Id, message.ETag, message.Outbox), cancellationToken);
        await chats.RecordMessageAsync(chat, message, cancellationToken);
        return message;
    }
}
