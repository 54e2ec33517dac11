using System.Net;
using System.Text.Json;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

/// <summary>Walking a list by cursor through HTTP: every item that exists for the whole walk exactly once, the walk's meta, its refusals.</summary>
public sealed class ListWalkTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    /// <summary>Follows <c>meta.next_cursor</c> from an empty cursor to the end, doing <paramref name="between"/> after each page.</summary>
    private static async Task<List<string>> WalkAsync(HttpClient client, string path, int perPage, Func<IReadOnlyList<string>, Task>? between = null)
    {
        var seen = new List<string>();
        var cursor = "";
        while (true)
        {
            var page = await client.GetApiAsync($"{path}{(path.Contains('?') ? '&' : '?')}per_page={perPage}&cursor={Uri.EscapeDataString(cursor)}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var ids = page.Data.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            seen.AddRange(ids);
            if (page.Body.GetProperty("meta").GetProperty("next_cursor").GetString() is not { } next)
            {
                return seen;
            }
            if (between is not null)
            {
                await between(ids);
            }
            cursor = next;
        }
    }

    /// <summary>What a "list every item" loop by page number gets: page after page until one comes back short.</summary>
    private static async Task<List<string>> PageThroughAsync(HttpClient client, string path, int perPage, Func<IReadOnlyList<string>, Task> between)
    {
        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var ids = (await client.GetApiAsync($"{path}?per_page={perPage}&page={page}")).Data.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            seen.AddRange(ids);
            if (ids.Count < perPage)
            {
                return seen;
            }
            await between(ids);
        }
    }

    [Fact]
    public async Task A_walk_returns_each_customer_that_stays_exactly_once_while_others_are_deleted_and_added_where_paging_by_number_skips()
    {
        // After each page: the two last seen and one not reached yet deleted, one newcomer added.
        async Task<(List<string> Listed, List<string> Stayed)> ListWhileChangingAsync(Func<HttpClient, Func<IReadOnlyList<string>, Task>, Task<List<string>>> list)
        {
            using var client = await fixture.NewClientAsync();
            var created = new List<string>();
            for (var i = 0; i < 30; i++)
            {
                created.Add(await client.CreateCustomerIdAsync());
            }
            var deleted = new HashSet<string>();
            async Task Change(IReadOnlyList<string> page)
            {
                var unseen = created.AsEnumerable().Reverse().SkipWhile(id => id != page[^1]).Skip(1).First(id => !deleted.Contains(id));
                foreach (var id in new[] { page[^1], page[^2], unseen })
                {
                    Assert.Equal(HttpStatusCode.OK, (await client.DeleteApiAsync($"v1/customers/{id}")).Status);
                    deleted.Add(id);
                }
                await client.CreateCustomerIdAsync();
            }
            var listed = await list(client, Change);
            return (listed, [.. created.Where(id => !deleted.Contains(id))]);
        }

        var walk = await ListWhileChangingAsync((client, change) => WalkAsync(client, "v1/customers", 5, change));
        var paged = await ListWhileChangingAsync((client, change) => PageThroughAsync(client, "v1/customers", 5, change));

        Assert.All(walk.Stayed, id => Assert.Single(walk.Listed, id));
        Assert.Equal(walk.Listed.Count, walk.Listed.Distinct().Count());
        var missed = paged.Stayed.Except(paged.Listed).ToList();
        Assert.NotEmpty(missed); // What a walk by page number did before cursors: customers that were there all along, never listed.
    }

    [Fact]
    public async Task A_walks_page_has_per_page_and_next_cursor_and_neither_page_nor_total()
    {
        using var client = await fixture.NewClientAsync();
        for (var i = 0; i < 3; i++)
        {
            await client.CreateCustomerIdAsync();
        }

        var first = await client.GetApiAsync("v1/customers?cursor=&per_page=2");
        var last = await client.GetApiAsync($"v1/customers?per_page=2&cursor={first.Body.GetProperty("meta").GetProperty("next_cursor").GetString()}");

        Assert.Equal(["next_cursor", "per_page"], first.Body.GetProperty("meta").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(2, first.Data.GetArrayLength());
        Assert.Equal(1, last.Data.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, last.Body.GetProperty("meta").GetProperty("next_cursor").ValueKind);
        Assert.Equal(["page", "per_page", "total"], (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("v1/customers?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("v1/customers?cursor=%25%25%25", "cursor")]
    [InlineData("v1/customers?cursor=&page=2", "page")]
    [InlineData("v1/chats?cursor=&per_page=101", "per_page")]
    public async Task A_cursor_that_is_not_one_or_a_page_number_with_a_cursor_is_refused_naming_the_field(string path, string field)
    {
        using var client = await fixture.NewClientAsync();

        var refused = await client.GetApiAsync(path);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal("VALIDATION_ERROR", refused.ErrorCode);
        Assert.Equal([field], refused.Details.Select(d => d.Field));
    }

    [Fact]
    public async Task Channels_chats_a_chats_messages_and_an_endpoints_deliveries_can_be_walked()
    {
        using var client = await fixture.NewClientAsync();
        var channel = (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox" })).Data.GetProperty("id").GetString()!;
        for (var i = 0; i < 2; i++)
        {
            await client.PostApiAsync("v1/channels", new { name = $"Loja {i}", kind = "sandbox" });
        }
        var phone = ApiCalls.UniquePhone();
        string? chat = null;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/chats", new { channel_id = channel, phone = ApiCalls.UniquePhone() })).Status);
            chat = (await client.PostApiAsync("v1/messages/send", new { channel_id = channel, to = phone, type = "text", content = new { text = $"Oi {i}" } }))
                .Data.GetProperty("chat_id").GetString();
        }
        var webhook = (await client.PostApiAsync("v1/webhooks", new { url = "https://1.1.1.1/interflow", events = new[] { "bulk.completed" } })).Data.GetProperty("id").GetString();

        foreach (var (path, count) in new[] { ("v1/channels", 3), ("v1/chats", 4), ($"v1/chats/{chat}/messages", 3), ($"v1/webhooks/{webhook}/deliveries", 0) })
        {
            var walked = await WalkAsync(client, path, 2);
            var all = (await client.GetApiAsync($"{path}?per_page=100")).Data.EnumerateArray().Select(i => i.GetProperty("id").GetString()!);

            Assert.Equal(count, walked.Count);
            Assert.Equal(all.Order(), walked.Order());
        }
    }
}
