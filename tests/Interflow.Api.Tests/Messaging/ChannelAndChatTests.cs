using System.Net;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Messaging;

public sealed class ChannelAndChatTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    [Fact]
    public async Task Whatsapp_channel_secrets_are_stored_but_never_returned()
    {
        using var client = await fixture.NewClientAsync();
        var secrets = new { phone_number_id = "1065403", access_token = "EAAG-top-secret", app_secret = "app-secret-xyz", verify_token = "verify-abc" };

        var created = await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "whatsapp_cloud", messages_per_second = 250, whatsapp = secrets });
        var id = created.Data.GetProperty("id").GetString();
        var fetched = await client.GetApiAsync($"v1/channels/{id}");
        var listed = await client.GetApiAsync("v1/channels");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.StartsWith("ch_", id);
        Assert.Equal(250, created.Data.GetProperty("messages_per_second").GetInt32());
        Assert.Equal("1065403", fetched.Data.GetProperty("whatsapp").GetProperty("phone_number_id").GetString());
        Assert.Equal($"/hooks/whatsapp/{id}", fetched.Data.GetProperty("webhook_path").GetString());
        foreach (var raw in new[] { created.Raw, fetched.Raw, listed.Raw })
        {
            Assert.DoesNotContain("EAAG-top-secret", raw);
            Assert.DoesNotContain("app-secret-xyz", raw);
            Assert.DoesNotContain("verify-abc", raw);
        }
        Assert.Equal(1, listed.Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Sandbox_channel_defaults_to_80_messages_per_second()
    {
        using var client = await fixture.NewClientAsync();
        var id = await client.CreateSandboxChannelAsync();

        var channel = (await client.GetApiAsync($"v1/channels/{id}")).Data;

        Assert.Equal("sandbox", channel.GetProperty("kind").GetString());
        Assert.Equal(80, channel.GetProperty("messages_per_second").GetInt32());
    }

    public static TheoryData<string, string[]> InvalidChannels => new()
    {
        { """{}""", ["name", "kind"] },
        { """{"name":"x","kind":"telegram"}""", ["kind"] },
        { """{"name":"x","kind":"whatsapp_cloud"}""", ["whatsapp"] },
        { """{"name":"x","kind":"whatsapp_cloud","whatsapp":{"phone_number_id":"1"}}""", ["whatsapp.access_token", "whatsapp.app_secret", "whatsapp.verify_token"] },
        { """{"name":"x","kind":"sandbox","messages_per_second":0}""", ["messages_per_second"] },
        { """{"name":"x","kind":"sandbox","messages_per_second":2.5}""", ["messages_per_second"] },
        { """{"name":"x","kind":"sandbox","whatsapp":{"phone_number_id":"1","access_token":"a","app_secret":"b","verify_token":"c"}}""", ["whatsapp"] },
    };

    [Theory]
    [MemberData(nameof(InvalidChannels))]
    public async Task Invalid_channels_are_422(string body, string[] fields)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/channels", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(fields, response.Details.Select(d => d.Field));
        Assert.Equal(0, (await client.GetApiAsync("v1/channels")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Creating_a_chat_twice_returns_the_open_one()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var phone = ApiCalls.UniquePhone();

        var first = await client.PostApiAsync("v1/chats", new { channel_id = channel, phone });
        var customerId = first.Data.GetProperty("customer_id").GetString();
        var again = await client.PostApiAsync("v1/chats", new { channel_id = channel, customer_id = customerId });
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.PostApiAsync("v1/chats", new { channel_id = channel, phone })));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Data.GetProperty("id").GetString(), again.Data.GetProperty("id").GetString());
        Assert.All(concurrent, r => Assert.Equal(first.Data.GetProperty("id").GetString(), r.Data.GetProperty("id").GetString()));
        Assert.Equal(1, (await client.GetApiAsync("v1/chats")).Body.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal("open", first.Data.GetProperty("status").GetString());
        Assert.Equal(0, first.Data.GetProperty("unread_count").GetInt32());
    }

    [Fact]
    public async Task Close_reopen_and_the_one_open_chat_rule()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var phone = ApiCalls.UniquePhone();
        var first = (await client.PostApiAsync("v1/chats", new { channel_id = channel, phone })).Data.GetProperty("id").GetString();

        var closed = await client.PutApiAsync($"v1/chats/{first}", new { status = "closed" });
        var second = await client.PostApiAsync("v1/chats", new { channel_id = channel, phone });
        var reopenFirst = await client.PutApiAsync($"v1/chats/{first}", new { status = "open" });
        var closeSecond = await client.PutApiAsync($"v1/chats/{second.Data.GetProperty("id").GetString()}", new { status = "closed" });
        var reopenNow = await client.PutApiAsync($"v1/chats/{first}", new { status = "open" });

        Assert.Equal("closed", closed.Data.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, closed.Data.GetProperty("closed_at").ValueKind);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(HttpStatusCode.Conflict, reopenFirst.Status);
        Assert.Equal(HttpStatusCode.OK, closeSecond.Status);
        Assert.Equal(HttpStatusCode.OK, reopenNow.Status);
        Assert.Equal("open", reopenNow.Data.GetProperty("status").GetString());
        var openChats = await client.GetApiAsync("v1/chats?status=open");
        Assert.Equal([first], openChats.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(2, (await client.GetApiAsync($"v1/chats?channel_id={channel}")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Chats_list_orders_by_last_message_and_filters_by_customer()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var older = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        var quiet = await client.PostApiAsync("v1/chats", new { channel_id = channel, phone = ApiCalls.UniquePhone() });
        await Task.Delay(1100); // timestamps are shown to the second
        var newer = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, older.Data.GetProperty("to").GetString()!));

        var list = await client.GetApiAsync("v1/chats");
        var byCustomer = await client.GetApiAsync($"v1/chats?customer_id={newer.Data.GetProperty("customer_id").GetString()}");

        Assert.Equal(
            [older.Data.GetProperty("chat_id").GetString(), newer.Data.GetProperty("chat_id").GetString(), quiet.Data.GetProperty("id").GetString()],
            list.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([newer.Data.GetProperty("chat_id").GetString()], byCustomer.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Chat_if_match_and_validation()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var created = await client.PostApiAsync("v1/chats", new { channel_id = channel, phone = ApiCalls.UniquePhone() });
        var id = created.Data.GetProperty("id").GetString();
        var etag = created.Headers.ETag!.Tag;

        var bad = await client.PutApiAsync($"v1/chats/{id}", new { status = "archived", unread_count = 3 });
        var closed = await client.PutApiAsync($"v1/chats/{id}", new { status = "closed" }, r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        var stale = await client.PutApiAsync($"v1/chats/{id}", new { status = "open" }, r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        var noTarget = await client.PostApiAsync("v1/chats", new { channel_id = channel });
        var unknownCustomer = await client.PostApiAsync("v1/chats", new { channel_id = channel, customer_id = "cust_nope" });

        Assert.Equal(["status", "unread_count"], bad.Details.Select(d => d.Field).Order());
        Assert.Equal(HttpStatusCode.OK, closed.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(["customer_id"], noTarget.Details.Select(d => d.Field));
        Assert.Equal(["customer_id"], unknownCustomer.Details.Select(d => d.Field));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetApiAsync("v1/chats/chat_nope/messages")).Status);
    }
}
