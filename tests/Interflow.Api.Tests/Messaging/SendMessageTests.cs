using System.Net;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Messaging;

/// <summary>POST /v1/messages/send and GET /v1/messages/:id on the sandbox provider.</summary>
public sealed class SendMessageTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    [Fact]
    public async Task Text_message_is_sent_with_the_seed_shape_and_moves_to_delivered_and_read()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var to = ApiCalls.UniquePhone();

        var response = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, to));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var data = response.Data;
        Assert.StartsWith("msg_", data.GetProperty("id").GetString());
        Assert.Equal("sent", data.GetProperty("status").GetString());
        Assert.Equal(channel, data.GetProperty("channel_id").GetString());
        Assert.Equal(to, data.GetProperty("to").GetString());
        Assert.Equal("text", data.GetProperty("type").GetString());
        Assert.Equal("outbound", data.GetProperty("direction").GetString());
        Assert.Equal("""{"text":"Olá! Esta é uma mensagem via API."}""", data.GetProperty("content").GetRawText());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", data.GetProperty("created_at").GetString());
        Assert.StartsWith("chat_", data.GetProperty("chat_id").GetString());
        Assert.NotEqual(JsonValueKind.Null, data.GetProperty("sent_at").ValueKind);

        var read = await client.WaitForStatusAsync(data.GetProperty("id").GetString()!, "read");
        Assert.Equal("read", read.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("delivered_at").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("read_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("failed_at").ValueKind);
    }

    [Fact]
    public async Task Sending_creates_the_customer_and_chat_once_and_reuses_them()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var to = ApiCalls.UniquePhone();

        var first = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, to, "um"));
        var second = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, "+" + to, "dois"));

        var customers = await client.GetApiAsync($"v1/customers?phone={to}");
        Assert.Equal(1, customers.Body.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal("+" + to, customers.Data[0].GetProperty("name").GetString());
        var chatId = first.Data.GetProperty("chat_id").GetString();
        Assert.Equal(chatId, second.Data.GetProperty("chat_id").GetString());
        var chat = (await client.GetApiAsync($"v1/chats/{chatId}")).Data;
        Assert.Equal(customers.Data[0].GetProperty("id").GetString(), chat.GetProperty("customer_id").GetString());
        Assert.Equal("open", chat.GetProperty("status").GetString());
        Assert.Equal(second.Data.GetProperty("created_at").GetString(), chat.GetProperty("last_message_at").GetString());
        var history = await client.GetApiAsync($"v1/chats/{chatId}/messages");
        Assert.Equal(["um", "dois"], history.Data.EnumerateArray().Select(m => m.GetProperty("content").GetProperty("text").GetString()));
        var newest = await client.GetApiAsync($"v1/chats/{chatId}/messages?order=desc&per_page=1");
        Assert.Equal("dois", newest.Data[0].GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(2, newest.Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    public static TheoryData<string, string> ValidContents => new()
    {
        { "text", """{"text":"oi"}""" },
        { "image", """{"url":"https://cdn.example.com/a.png","caption":"foto"}""" },
        { "video", """{"url":"https://cdn.example.com/a.mp4"}""" },
        { "audio", """{"url":"https://cdn.example.com/a.ogg"}""" },
        { "document", """{"url":"https://cdn.example.com/a.pdf","caption":"boleto","filename":"boleto.pdf"}""" },
        { "location", """{"latitude":-23.5505,"longitude":-46.6333,"name":"Praça da Sé","address":"São Paulo"}""" },
        { "template", """{"name":"pedido_confirmado","language":"pt_BR","variables":["João","#123"]}""" },
    };

    [Theory]
    [MemberData(nameof(ValidContents))]
    public async Task Every_type_is_accepted_and_stored_as_sent(string type, string content)
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();

        var response = await client.PostApiAsync("v1/messages/send",
            $$"""{"channel_id":"{{channel}}","to":"{{ApiCalls.UniquePhone()}}","type":"{{type}}","content":{{content}},"metadata":{"order":"123"} }""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(type, response.Data.GetProperty("type").GetString());
        Assert.Equal(JsonDocument.Parse(content).RootElement.GetRawText(), response.Data.GetProperty("content").GetRawText());
        Assert.Equal("123", response.Data.GetProperty("metadata").GetProperty("order").GetString());
        var stored = await client.GetMessageAsync(response.Data.GetProperty("id").GetString()!);
        Assert.Equal(response.Data.GetProperty("content").GetRawText(), stored.GetProperty("content").GetRawText());
    }

    public static TheoryData<string, string[]> InvalidSends => new()
    {
        { """{}""", ["channel_id", "to", "type", "content"] },
        { """{"channel_id":"CH","to":"123","type":"text","content":{"text":"x"}}""", ["to"] },
        { """{"channel_id":"CH","to":"TO","type":"sms","content":{"text":"x"}}""", ["type"] },
        { """{"channel_id":"CH","to":"TO","type":"text","content":"x"}""", ["content"] },
        { """{"channel_id":"CH","to":"TO","type":"text","content":{}}""", ["content.text"] },
        { """{"channel_id":"CH","to":"TO","type":"text","content":{"text":"TOO_LONG"}}""", ["content.text"] },
        { """{"channel_id":"CH","to":"TO","type":"text","content":{"text":"x","extra":1}}""", ["content.extra"] },
        { """{"channel_id":"CH","to":"TO","type":"image","content":{"url":"http://cdn.example.com/a.png"}}""", ["content.url"] },
        { """{"channel_id":"CH","to":"TO","type":"image","content":{"url":"not a url","caption":5}}""", ["content.url", "content.caption"] },
        { """{"channel_id":"CH","to":"TO","type":"audio","content":{"url":"https://a.example/x.ogg","caption":"no"}}""", ["content.caption"] },
        { """{"channel_id":"CH","to":"TO","type":"document","content":{}}""", ["content.url"] },
        { """{"channel_id":"CH","to":"TO","type":"location","content":{"latitude":91,"longitude":"x"}}""", ["content.latitude", "content.longitude"] },
        { """{"channel_id":"CH","to":"TO","type":"location","content":{}}""", ["content.latitude", "content.longitude"] },
        { """{"channel_id":"CH","to":"TO","type":"template","content":{"name":"Bad Name","language":"portuguese"}}""", ["content.name", "content.language"] },
        { """{"channel_id":"CH","to":"TO","type":"template","content":{"name":"ok","language":"pt_BR","variables":[1]}}""", ["content.variables[0]"] },
        { """{"channel_id":"CH","to":"TO","type":"text","content":{"text":"x"},"metadata":[1]}""", ["metadata"] },
        { """{"channel_id":"ch_missing","to":"TO","type":"text","content":{"text":"x"}}""", ["channel_id"] },
        { """{"channel_id":"CH","to":"TO","type":"text","content":{"text":"x"},"chat_id":"chat_missing"}""", ["chat_id"] },
    };

    [Theory]
    [MemberData(nameof(InvalidSends))]
    public async Task Invalid_sends_are_422_with_every_bad_field_and_nothing_is_stored(string template, string[] fields)
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var to = ApiCalls.UniquePhone();
        var body = template.Replace("\"CH\"", $"\"{channel}\"").Replace("\"TO\"", $"\"{to}\"").Replace("TOO_LONG", new string('x', 4097));

        var response = await client.PostApiAsync("v1/messages/send", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(fields, response.Details.Select(d => d.Field));
        Assert.Equal(0, (await client.GetApiAsync("v1/chats")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Sandbox_test_numbers_fail_or_stay_sent()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();

        var failing = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, "5511987650000"));
        var staying = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, "5511987650001"));
        var reference = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));

        Assert.Equal(HttpStatusCode.Created, failing.Status);
        Assert.Equal("failed", failing.Data.GetProperty("status").GetString());
        Assert.Equal("SANDBOX_REJECTED", failing.Data.GetProperty("error").GetProperty("code").GetString());
        Assert.NotEqual(JsonValueKind.Null, failing.Data.GetProperty("failed_at").ValueKind);
        await client.WaitForStatusAsync(reference.Data.GetProperty("id").GetString()!, "read");
        var stayed = await client.GetMessageAsync(staying.Data.GetProperty("id").GetString()!);
        Assert.Equal("sent", stayed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, stayed.GetProperty("delivered_at").ValueKind);
    }

    [Fact]
    public async Task A_retried_send_with_an_idempotency_key_reaches_the_provider_once()
    {
        using var client = await fixture.NewClientAsync();
        var channel = await client.CreateSandboxChannelAsync();
        var body = MessagingCalls.Text(channel, ApiCalls.UniquePhone());

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            client.PostApiAsync("v1/messages/send", body, r => r.Headers.Add("Idempotency-Key", "send-once"))));

        var ids = responses.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Data.GetProperty("id").GetString()).Distinct().ToArray();
        Assert.Single(ids);
        Assert.All(responses, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var chatId = responses.First(r => r.Status == HttpStatusCode.Created).Data.GetProperty("chat_id").GetString();
        Assert.Equal(1, (await client.GetApiAsync($"v1/chats/{chatId}/messages")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Messages_of_other_tenants_are_404()
    {
        var owner = await fixture.NewAccountAsync();
        using var live = fixture.Server.CreateClient(owner.LiveKey);
        var channel = await live.CreateSandboxChannelAsync();
        var sent = await live.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        var id = sent.Data.GetProperty("id").GetString();

        using var sandbox = fixture.Server.CreateClient(owner.TestKey);
        using var stranger = await fixture.NewClientAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.GetApiAsync($"v1/messages/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetApiAsync($"v1/messages/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetApiAsync($"v1/channels/{channel}")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await stranger.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()))).Status);
    }

    [Fact]
    public async Task Every_state_change_is_recorded_as_an_event()
    {
        var account = await fixture.NewAccountAsync();
        using var client = fixture.Server.CreateClient(account.LiveKey);
        var channel = await client.CreateSandboxChannelAsync();
        var sent = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        var id = sent.Data.GetProperty("id").GetString()!;
        await client.WaitForStatusAsync(id, "read");
        var log = fixture.Server.Services.GetRequiredService<IEventLog>();
        var tenant = new Tenant(account.Id, ApiEnvironment.Live);

        var events = await Eventually.MatchAsync(() => log.ListAsync(tenant, 100, default), e => e.Count >= 5);

        Assert.Equal(["customer.created", "chat.created", "message.sent", "message.delivered", "message.read"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.StartsWith("evt_", e.Id));
        var read = events.Single(e => e.Type == "message.read");
        Assert.Equal(id, read.Data.GetProperty("id").GetString());
        Assert.Equal("read", read.Data.GetProperty("status").GetString());
    }
}
