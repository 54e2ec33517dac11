using System.Globalization;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Messages;

namespace Interflow.Core.Chats;

/// <summary>The chat use cases: open (or reuse), close and reopen, mark read, and record a message's activity.</summary>
public sealed class ChatCommands(IChatStore store, EventFactory events, EventRelay relay, TimeProvider clock)
{
    public const string Kind = "chats";
    private const int MaxOptimisticAttempts = 10;

    /// <summary>The customer's open chat on the channel, created when there is none.</summary>
    /// <returns>The chat, and whether this call created it.</returns>
    public async Task<(Chat Chat, bool Created)> OpenAsync(Tenant tenant, string channelId, string customerId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await store.FindOpenAsync(tenant, channelId, customerId, cancellationToken) is { } open)
            {
                return (open, false);
            }
            var chat = New(tenant, channelId, customerId, null, clock.GetUtcNow());
            try
            {
                chat = await store.CreateAsync(chat, cancellationToken);
                await relay.TryRelayAsync(Outbox(chat), cancellationToken);
                return (chat, true);
            }
            catch (DuplicateValueException) when (attempt == 0)
            {
                // Another request opened it first: read theirs.
            }
        }
    }

    /// <param name="status">The new status, or null to keep it.</param>
    /// <param name="markRead">Resets the unread count.</param>
    /// <param name="precondition">The caller's If-Match: when given, the update applies only to a version it accepts.</param>
    public Task<Chat> UpdateAsync(Tenant tenant, string id, ChatStatus? status, bool markRead, Func<Chat, bool>? precondition, CancellationToken cancellationToken) =>
        ChangeAsync(tenant, id, precondition, chat =>
        {
            var now = clock.GetUtcNow();
            var changed = chat with { UnreadCount = markRead ? 0 : chat.UnreadCount, UpdatedAt = now };
            if (status == ChatStatus.Closed && chat.Status == ChatStatus.Open)
            {
                changed = changed with { Status = ChatStatus.Closed, ClosedAt = now };
                changed = changed with
                {
                    Outbox = [.. chat.Outbox, events.Create(EventTypes.ChatClosed, chat.Id, changed, now, now.UtcTicks.ToString(CultureInfo.InvariantCulture))],
                };
            }
            else if (status == ChatStatus.Open && chat.Status == ChatStatus.Closed)
            {
                changed = changed with { Status = ChatStatus.Open, ClosedAt = null };
            }
            return changed;
        }, cancellationToken);

    /// <summary>Moves the chat's activity to the message; an inbound message counts as unread.</summary>
    public Task<Chat> RecordMessageAsync(Chat chat, Message message, CancellationToken cancellationToken) =>
        ChangeAsync(chat.Tenant, chat.Id, null, current => current with
        {
            LastMessageAt = current.LastMessageAt is { } last && last > message.CreatedAt ? last : message.CreatedAt,
            UnreadCount = current.UnreadCount + (message.Direction == MessageDirection.Inbound ? 1 : 0),
            UpdatedAt = clock.GetUtcNow(),
        }, cancellationToken);

    private async Task<Chat> ChangeAsync(Tenant tenant, string id, Func<Chat, bool>? precondition, Func<Chat, Chat> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
            if (precondition is not null && !precondition(current))
            {
                throw new VersionMismatchException();
            }
            try
            {
                var saved = await store.ReplaceAsync(change(current), current.ETag, cancellationToken);
                await relay.TryRelayAsync(Outbox(saved), cancellationToken);
                return saved;
            }
            catch (VersionMismatchException) when (precondition is null && attempt < MaxOptimisticAttempts)
            {
            }
            catch (DuplicateValueException)
            {
                // Reopening while the customer has another open chat on the channel.
                throw new ConflictException("status");
            }
        }
    }

    /// <summary>A new open chat, not yet stored, with its <c>chat.created</c> in its outbox.</summary>
    /// <param name="lastMessageAt">Set when the chat is created with its first message.</param>
    public Chat New(Tenant tenant, string channelId, string customerId, DateTimeOffset? lastMessageAt, DateTimeOffset now)
    {
        var chat = new Chat(Ids.New("chat"), tenant, channelId, customerId, ChatStatus.Open, lastMessageAt, 0, now, now, null, []);
        return chat with { Outbox = [events.Create(EventTypes.ChatCreated, chat.Id, chat, now)] };
    }

    public static OutboxEntry Outbox(Chat chat) => new(Kind, chat.Tenant, chat.Id, chat.ETag, chat.Outbox);
}
