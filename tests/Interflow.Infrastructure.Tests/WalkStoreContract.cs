using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Messages;
using Interflow.Core.Paging;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Tests;

/// <summary>
/// Walks by cursor, on every list that has one: in order of creation then id, a page at a time, no count; and every
/// item that exists for the whole walk comes back exactly once, whatever is deleted, added or changed meanwhile.
/// </summary>
public abstract class WalkStoreContract : BatchStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly Tenant tenant = new(Ids.New("acc"), ApiEnvironment.Live);

    /// <summary>Walks a list to its end, <paramref name="perPage"/> at a time, doing <paramref name="between"/> after each page.</summary>
    private static async Task<List<string>> WalkAsync<T>(
        Func<PageRequest, Task<Page<T>>> list, Func<T, string> id, int perPage, Func<int, IReadOnlyList<T>, Task>? between = null)
    {
        var seen = new List<string>();
        ListPosition? after = null;
        for (var pageNumber = 0; ; pageNumber++)
        {
            var page = await list(PageRequest.Walk(perPage, after));
            Assert.Null(page.Total);
            Assert.InRange(page.Items.Count, 0, perPage);
            seen.AddRange(page.Items.Select(id));
            if (page.Next is null)
            {
                return seen;
            }
            Assert.Equal(perPage, page.Items.Count);
            Assert.Equal(id(page.Items[^1]), page.Next.Id);
            if (between is not null)
            {
                await between(pageNumber, page.Items);
            }
            after = page.Next;
        }
    }

    private Customer NewCustomer(DateTimeOffset at, string tag = "vip") =>
        new(Ids.New("cust"), tenant, "Walker", null, $"5511{Random.Shared.Next(900000000, 999999999)}", [tag],
            new Dictionary<string, JsonElement>(), at, at, []);

    [SkippableFact]
    public async Task Customers_walk_newest_first_by_creation_then_id_with_filters_and_without_a_count()
    {
        RequireEngine();
        var created = new List<Customer>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await Stores.Customers.CreateAsync(NewCustomer(T0.AddSeconds(i)), default));
        }
        // Three created in the same tick: their ids order them.
        for (var i = 0; i < 3; i++)
        {
            created.Add(await Stores.Customers.CreateAsync(NewCustomer(T0.AddSeconds(10)), default));
        }
        await Stores.Customers.CreateAsync(NewCustomer(T0.AddSeconds(3), tag: "lead"), default);
        var expected = created.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id).ToList();

        var walked = await WalkAsync(p => Stores.Customers.ListAsync(tenant, new CustomerFilter(Tag: "vip"), p, default), c => c.Id, 3);

        Assert.Equal(expected, walked);
    }

    [SkippableFact]
    public async Task A_customer_walk_returns_each_customer_that_stays_exactly_once_while_others_are_deleted_and_added()
    {
        RequireEngine();
        var created = new List<Customer>();
        for (var i = 0; i < 12; i++)
        {
            created.Add(await Stores.Customers.CreateAsync(NewCustomer(T0.AddMinutes(i)), default));
        }
        var deleted = new HashSet<string>();

        var walked = await WalkAsync(p => Stores.Customers.ListAsync(tenant, new CustomerFilter(), p, default), c => c.Id, 3, async (_, page) =>
        {
            // The item the cursor stands on, one not reached yet, and a newcomer on either side of the position.
            var unseen = created.First(c => c.CreatedAt < page[^1].CreatedAt && !deleted.Contains(c.Id));
            foreach (var gone in new[] { page[^1], unseen })
            {
                await Stores.Customers.DeleteAsync(tenant, gone.Id, default);
                deleted.Add(gone.Id);
            }
            await Stores.Customers.CreateAsync(NewCustomer(T0.AddHours(1)), default);
            await Stores.Customers.CreateAsync(NewCustomer(page[^1].CreatedAt.AddSeconds(-1)), default);
        });

        var stayed = created.Where(c => !deleted.Contains(c.Id)).Select(c => c.Id).ToList();
        Assert.All(stayed, id => Assert.Single(walked, id));
        Assert.Equal(walked.Count, walked.Distinct().Count());
    }

    [SkippableFact]
    public async Task Chats_walk_by_creation_so_a_chat_whose_last_message_moves_it_to_the_top_is_still_returned_once()
    {
        RequireEngine();
        var chats = new List<Chat>();
        for (var i = 0; i < 7; i++)
        {
            chats.Add(await Stores.Chats.CreateAsync(new Chat(Ids.New("chat"), tenant, "ch_w", $"cust_w{i}", ChatStatus.Open, T0.AddMinutes(i), 0, T0.AddMinutes(i), T0.AddMinutes(i), null, []), default));
        }

        var walked = await WalkAsync(p => Stores.Chats.ListAsync(tenant, new ChatFilter(ChatStatus.Open, "ch_w", null), p, default), c => c.Id, 2, async (pageNumber, page) =>
        {
            if (pageNumber == 0)
            {
                // The oldest chat, not reached yet, gets a message: by last activity it would jump ahead of the walk.
                var oldest = (await Stores.Chats.GetAsync(tenant, chats[0].Id, default))!;
                await Stores.Chats.ReplaceAsync(oldest with { LastMessageAt = T0.AddDays(1), UpdatedAt = T0.AddDays(1) }, oldest.ETag, default);
            }
        });

        Assert.Equal(chats.AsEnumerable().Reverse().Select(c => c.Id), walked);
    }

    [SkippableFact]
    public async Task A_chats_messages_walk_oldest_or_newest_first()
    {
        RequireEngine();
        var messages = new List<Message>();
        for (var i = 0; i < 5; i++)
        {
            var at = T0.AddSeconds(i);
            messages.Add(await Stores.Messages.CreateAsync(new Message(Ids.New("msg"), tenant, "ch_1", "chat_walk", "cust_1", MessageDirection.Outbound,
                "5511987654321", MessageType.Text, JsonSerializer.SerializeToElement(new { text = "Oi" }), null, MessageStatus.Sent, null, null,
                at, at, null, null, null, null, 0, null, []), default));
        }

        var oldestFirst = await WalkAsync(p => Stores.Messages.ListByChatAsync(tenant, "chat_walk", false, p, default), m => m.Id, 2);
        var newestFirst = await WalkAsync(p => Stores.Messages.ListByChatAsync(tenant, "chat_walk", true, p, default), m => m.Id, 2);

        Assert.Equal(messages.Select(m => m.Id), oldestFirst);
        Assert.Equal(messages.AsEnumerable().Reverse().Select(m => m.Id), newestFirst);
    }

    [SkippableFact]
    public async Task Channels_and_an_endpoints_deliveries_walk_newest_first()
    {
        RequireEngine();
        var channels = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var channel = new Channel(Ids.New("ch"), tenant, ChannelKind.Sandbox, $"Loja {i}", null, 80, T0.AddSeconds(i));
            await Stores.Channels.CreateAsync(channel, default);
            channels.Add(channel.Id);
        }
        var deliveries = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var at = T0.AddSeconds(i);
            deliveries.Add((await Stores.WebhookDeliveries.CreateAsync(new WebhookDelivery(
                WebhookDelivery.IdFor("wh_walk", $"evt_{i}"), tenant, "wh_walk", $"evt_{i}", "message.sent", DeliveryStatus.Pending, [], at, null, at, at), default)).Id);
        }

        Assert.Equal(channels.AsEnumerable().Reverse(), await WalkAsync(p => Stores.Channels.ListAsync(tenant, p, default), c => c.Id, 2));
        Assert.Equal(deliveries.AsEnumerable().Reverse(), await WalkAsync(p => Stores.WebhookDeliveries.ListAsync(tenant, "wh_walk", p, default), d => d.Id, 2));
    }
}
