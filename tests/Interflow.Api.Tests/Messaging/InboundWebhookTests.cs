using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Messaging;

/// <summary>The WhatsApp webhook: Meta's challenge, signed notifications (computed here, independently), replays and status order.</summary>
public sealed class InboundWebhookTests : IAsyncLifetime
{
    private const string AppSecret = "app-secret-for-tests";
    private GraphApiStub graph = null!;
    private InterflowTestServer server = null!;
    private HttpClient client = null!;
    private HttpClient meta = null!;
    private string channel = "";

    public async Task InitializeAsync()
    {
        graph = await GraphApiStub.StartAsync();
        var settings = InterflowServerFixture.FastSettings();
        settings.Configuration["Interflow:WhatsApp:GraphBaseUrl"] = graph.BaseAddress.ToString();
        server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        client = server.CreateClient(account.LiveKey);
        meta = server.CreateClient();
        var created = await client.PostApiAsync("v1/channels", new
        {
            name = "Loja",
            kind = "whatsapp_cloud",
            whatsapp = new { phone_number_id = "1065", access_token = "token", app_secret = AppSecret, verify_token = "verify-me" },
        });
        channel = created.Data.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        meta.Dispose();
        await server.DisposeAsync();
        await graph.DisposeAsync();
    }

    private static string Notification(string messages = "[]", string statuses = "[]", string contacts = "[]") => $$"""
        {"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"551140000000","phone_number_id":"1065"},
          "contacts":{{contacts}},"messages":{{messages}},"statuses":{{statuses}} } } ] } ] }
        """;

    private static string TextMessage(string from, string id, string text) =>
        $$"""[{"from":"{{from}}","id":"{{id}}","timestamp":"1732400000","type":"text","text":{"body":"{{text}}"} }]""";

    private static string Status(string id, string status, long timestamp) =>
        $$"""[{"id":"{{id}}","status":"{{status}}","timestamp":"{{timestamp}}","recipient_id":"5511" }]""";

    private Task<ApiResponse> PostAsync(string body, string? secret = AppSecret) =>
        meta.PostApiAsync($"hooks/whatsapp/{channel}", body, r =>
        {
            if (secret is not null)
            {
                var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
                r.Headers.Add("X-Hub-Signature-256", "sha256=" + signature);
            }
        });

    [Fact]
    public async Task Verification_challenge_is_echoed_only_for_the_right_token()
    {
        using var ok = await meta.GetAsync($"hooks/whatsapp/{channel}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444");
        var wrong = await meta.GetApiAsync($"hooks/whatsapp/{channel}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1");
        var unknown = await meta.GetApiAsync("hooks/whatsapp/ch_missing?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Signed_inbound_message_creates_customer_chat_and_message_once()
    {
        var from = ApiCalls.UniquePhone();
        var body = Notification(TextMessage(from, "wamid.IN1", "Oi, quero comprar"), contacts: $$"""[{"profile":{"name":"Maria Cliente"},"wa_id":"{{from}}"}]""");

        var first = await PostAsync(body);
        var replay = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(1, first.Data.GetProperty("received").GetInt32());
        Assert.Equal(0, replay.Data.GetProperty("received").GetInt32());
        var customer = (await client.GetApiAsync($"v1/customers?phone={from}")).Data.EnumerateArray().Single();
        Assert.Equal("Maria Cliente", customer.GetProperty("name").GetString());
        var chat = (await client.GetApiAsync($"v1/chats?customer_id={customer.GetProperty("id").GetString()}")).Data.EnumerateArray().Single();
        Assert.Equal(1, chat.GetProperty("unread_count").GetInt32());
        var messages = await client.GetApiAsync($"v1/chats/{chat.GetProperty("id").GetString()}/messages");
        var message = messages.Data.EnumerateArray().Single();
        Assert.Equal("inbound", message.GetProperty("direction").GetString());
        Assert.Equal("received", message.GetProperty("status").GetString());
        Assert.Equal(from, message.GetProperty("from").GetString());
        Assert.Equal("Oi, quero comprar", message.GetProperty("content").GetProperty("text").GetString());

        var read = await client.PutApiAsync($"v1/chats/{chat.GetProperty("id").GetString()}", new { unread_count = 0 });
        Assert.Equal(0, read.Data.GetProperty("unread_count").GetInt32());
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData(null)]
    public async Task Bad_signature_is_401_and_nothing_is_stored(string? secret)
    {
        var from = ApiCalls.UniquePhone();

        var response = await PostAsync(Notification(TextMessage(from, "wamid.BAD", "x")), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHORIZED", response.ErrorCode);
        Assert.Equal(0, (await client.GetApiAsync($"v1/customers?phone={from}")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_tampered_body_fails_its_signature()
    {
        var from = ApiCalls.UniquePhone();
        var body = Notification(TextMessage(from, "wamid.T", "original"));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), Encoding.UTF8.GetBytes(body)));

        var response = await meta.PostApiAsync($"hooks/whatsapp/{channel}", body.Replace("original", "tampered"),
            r => r.Headers.Add("X-Hub-Signature-256", "sha256=" + signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Statuses_only_move_forward_whatever_order_they_arrive_in()
    {
        var sent = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        var id = sent.Data.GetProperty("id").GetString()!;
        var wamid = $"wamid.{graph.Succeeded}";

        await PostAsync(Notification(statuses: Status(wamid, "read", 1732400300)));
        await PostAsync(Notification(statuses: Status(wamid, "delivered", 1732400200)));
        await PostAsync(Notification(statuses: Status(wamid, "failed", 1732400400)));
        await PostAsync(Notification(statuses: Status(wamid, "read", 1732400300)));

        // Each POST is one queue message, applied in whatever order the consumers take them: the outcome is the same.
        var message = await Eventually.MatchAsync(() => client.GetMessageAsync(id), m => m.GetProperty("status").GetString() == "read");
        await Task.Delay(TimeSpan.FromSeconds(1));
        message = await client.GetMessageAsync(id);
        Assert.Equal("read", message.GetProperty("status").GetString());
        Assert.Equal("2024-11-23T22:18:20Z", message.GetProperty("read_at").GetString());
        Assert.NotEqual(JsonValueKind.Null, message.GetProperty("delivered_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("failed_at").ValueKind);
    }

    [Fact]
    public async Task A_failed_status_fails_a_sent_message_with_the_provider_error()
    {
        var sent = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        var id = sent.Data.GetProperty("id").GetString()!;
        var wamid = $"wamid.{graph.Succeeded}";

        await PostAsync(Notification(statuses: $$"""[{"id":"{{wamid}}","status":"failed","timestamp":"1732400500","recipient_id":"5511","errors":[{"code":131026,"title":"Message undeliverable"}] }]"""));

        var message = await Eventually.MatchAsync(() => client.GetMessageAsync(id), m => m.GetProperty("status").GetString() == "failed");
        Assert.Equal("failed", message.GetProperty("status").GetString());
        Assert.Equal("WHATSAPP_131026", message.GetProperty("error").GetProperty("code").GetString());
    }
}
