using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Telemetry;
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
    ICustomerStore customerStore,
    IRecipientBatchStore batches,
    CustomerCommands customers,
    ChatCommands chatCommands,
    OutboundDelivery delivery,
    DeliveryPolicy policy,
    TimeProvider clock)
{
    /// <param name="messageId">A caller-chosen id (bulk sends derive it from the recipient): a message that exists
    /// with it already is answered as it is, never sent again. Such a caller's own queue message is the safety net
    /// of the send, so no separate check is enqueued for it.</param>
    /// <param name="refusal">When given, the message is stored failed with it and never handed to the provider (the
    /// recipients of a bulk chunk given up on still get their message, saying why).</param>
    public async Task<Message> ExecuteAsync(
        Tenant tenant, OutgoingMessage request, CancellationToken cancellationToken, string? messageId = null, MessageError? refusal = null)
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
        var message = Outbound(messageId ?? Ids.New("msg"), tenant, channel.Id, chat.Id, customer.Id, request, clock.GetUtcNow());
        try
        {
            message = await delivery.CreateHeldAsync(message, safetyCheck: messageId is null, cancellationToken);
            MessageCounts.CountAccepted(channel, 1);
        }
        catch (DuplicateValueException) when (messageId is not null)
        {
            return await messages.GetAsync(tenant, messageId, cancellationToken) ?? throw new NotFoundException();
        }
        await chatCommands.RecordMessageAsync(chat, message, cancellationToken);
        return refusal is null ? await delivery.AttemptAsync(message, cancellationToken) : (await delivery.RefuseManyAsync([message], refusal, cancellationToken))[0];
    }

    /// <summary>
    /// Sends a batch of messages on one channel (a bulk chunk's block, or a group of concurrent sends) with the store
    /// work of a batch, not of each send: one lookup of the customers, one of their open chats, one write creating
    /// what is missing together with the messages (held for their first attempt), then the attempts
    /// (<see cref="OutboundDelivery.AttemptManyAsync"/>). Each message id is the caller's: one that exists already is
    /// answered as it is, never sent again.
    /// </summary>
    /// <param name="safetyCheck">True when no queue message of the caller's will look at these sends after a crash
    /// (a group of single sends): one queue message naming every message of the batch is enqueued, side by side
    /// with the lookups and before any write. A bulk chunk's own queue message is the safety net of its sends.</param>
    /// <param name="refusal">As for <see cref="ExecuteAsync"/>: the messages are stored failed with it, unsent.</param>
    public async Task<IReadOnlyList<Message>> ExecuteManyAsync(
        Tenant tenant, Channel channel, IReadOnlyList<(string MessageId, OutgoingMessage Request)> sends, CancellationToken cancellationToken,
        MessageError? refusal = null, bool safetyCheck = false)
    {
        var now = clock.GetUtcNow();
        var check = safetyCheck ? delivery.CheckLaterAsync(tenant, [.. sends.Select(s => s.MessageId)], cancellationToken) : Task.CompletedTask;
        var lookup = FindRecipientsAsync(tenant, channel, sends, now, cancellationToken);
        await Task.WhenAll(check, lookup);
        var batch = await lookup;
        RecipientBatch written;
        try
        {
            written = await batches.CreateAsync(batch, cancellationToken);
            MessageCounts.CountAccepted(channel, written.NewMessages.Count);
        }
        catch (DuplicateValueException)
        {
            // A concurrent send created one of these first (or a run of the same chunk did): one by one, each send
            // finds what exists, and a message that exists is answered as it is.
            var one = new List<Message>(sends.Count);
            foreach (var (id, request) in sends)
            {
                one.Add(await ExecuteAsync(tenant, request, cancellationToken, id, refusal));
            }
            return one;
        }
        // The new customers' and chats' events go out in the relay of the messages' outcomes, ahead of theirs.
        OutboxEntry[] created = [.. written.NewCustomers.Select(CustomerCommands.Outbox), .. written.NewChats.Select(ChatCommands.Outbox)];
        return refusal is null
            ? await delivery.AttemptManyAsync(channel, written.NewMessages, cancellationToken, created)
            : await delivery.RefuseManyAsync(written.NewMessages, refusal, cancellationToken, created);
    }

    /// <summary>What a batch of sends writes: the customers and open chats found, those to create, and the held messages.</summary>
    private async Task<RecipientBatch> FindRecipientsAsync(
        Tenant tenant, Channel channel, IReadOnlyList<(string MessageId, OutgoingMessage Request)> sends, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var phones = sends.Select(s => s.Request.To).Distinct().ToArray();
        var byPhone = (await customerStore.FindByPhonesAsync(tenant, phones, cancellationToken)).ToDictionary(c => c.Phone!);
        var newCustomers = phones.Where(p => !byPhone.ContainsKey(p)).Select(p => customers.New(tenant, CustomerCommands.ByPhone(p, null), now)).ToArray();
        foreach (var customer in newCustomers)
        {
            byPhone[customer.Phone!] = customer;
        }
        var customerIds = phones.Select(p => byPhone[p].Id).ToArray();
        var byCustomer = (await chats.FindOpenManyAsync(tenant, channel.Id, customerIds, cancellationToken)).ToDictionary(c => c.CustomerId);
        var reused = byCustomer.Values.Select(c => new ChatActivity(c.Id, now)).ToArray();
        var newChats = customerIds.Where(id => !byCustomer.ContainsKey(id)).Select(id => chatCommands.New(tenant, channel.Id, id, now, now)).ToArray();
        foreach (var chat in newChats)
        {
            byCustomer[chat.CustomerId] = chat;
        }
        var held = sends.Select(s =>
        {
            var customer = byPhone[s.Request.To];
            return Outbound(s.MessageId, tenant, channel.Id, byCustomer[customer.Id].Id, customer.Id, s.Request, now) with { LeaseUntil = now + policy.Lease };
        }).ToArray();
        return new RecipientBatch(tenant, newCustomers, newChats, reused, held);
    }

    private static Message Outbound(string id, Tenant tenant, string channelId, string chatId, string customerId, OutgoingMessage request, DateTimeOffset now) => new(
        id, tenant, channelId, chatId, customerId, MessageDirection.Outbound, request.To, request.Type, request.Content, request.Metadata,
        MessageStatus.Queued, null, null, now, now, null, null, null, null, Attempts: 0, LeaseUntil: null, Outbox: []);
}
