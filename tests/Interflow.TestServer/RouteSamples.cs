using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Api.Admin;
using Interflow.Api.Bulk;
using Interflow.Api.Channels;
using Interflow.Api.Chats;
using Interflow.Api.Console;
using Interflow.Api.Customers;
using Interflow.Api.Docs;
using Interflow.Api.Http;
using Interflow.Api.Inbound;
using Interflow.Api.Messages;
using Interflow.Api.Webhooks;

namespace Interflow.TestServer;

/// <summary>Who a request speaks as.</summary>
public enum SampleCaller
{
    ApiKey,
    Admin,
    Provider,

    /// <summary>A member signed in to the console: the session cookie and its anti-forgery token in <see cref="RouteSample.Headers"/>.</summary>
    Console,
    Anonymous,
}

/// <summary>A valid request for one route, on fixtures that exist: what the hostile variants start from.</summary>
/// <param name="Path">The path with its parameters filled in, without the leading slash.</param>
/// <param name="Query">The query string without <c>?</c>, or empty.</param>
/// <param name="Body">The JSON body, or null when the route takes none.</param>
public sealed record RouteSample(ApiRoute Route, string Path, string Query, JsonNode? Body, SampleCaller Caller)
{
    public IReadOnlyDictionary<string, string> PathValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Headers the caller sends besides its credentials: a console session's cookie and anti-forgery token.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The sample as it is sent: method, path and query, JSON body, and the provider's signature where it speaks as one.</summary>
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Route.Method), new Uri(Path + (Query.Length > 0 ? "?" + Query : ""), UriKind.Relative));
        if (Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(Body.ToJsonString());
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } };
            if (Caller == SampleCaller.Provider)
            {
                request.Headers.Add("X-Hub-Signature-256", RouteSamples.Signature(bytes));
            }
        }
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}

/// <summary>
/// Fixtures for one fresh account (channels, a customer, a chat, a message, a webhook, a bulk job, API keys) and a
/// valid request for every route of <see cref="ApiRouteTable"/>. A route without a sample here fails the run: a new
/// endpoint is fuzzed from the day it exists.
/// </summary>
public sealed class RouteSamples
{
    public const string AppSecret = "hostile-requests-app-secret";
    public const string VerifyToken = "hostile-verify";

    private RouteSamples(IReadOnlyList<RouteSample> all, string apiKey)
    {
        All = all;
        ApiKey = apiKey;
    }

    public IReadOnlyList<RouteSample> All { get; }

    /// <summary>The live key of the fixtures' account.</summary>
    public string ApiKey { get; }

    /// <param name="webhookReceiver">A loopback URL that answers 200, for the webhook fixtures.</param>
    public static async Task<RouteSamples> CreateAsync(IApiHost server, string webhookReceiver)
    {
        using var admin = server.CreateAdminClient();
        var account = await DataAsync(admin.PostAsJsonAsync("manage/accounts", new { name = "Hostile", plan = "enterprise" }));
        var accountId = account.GetProperty("id").GetString()!;
        var key = await DataAsync(admin.PostAsJsonAsync($"manage/accounts/{accountId}/keys", new { name = "fuzz", environment = "live" }));
        var spareKey = await DataAsync(admin.PostAsJsonAsync($"manage/accounts/{accountId}/keys", new { name = "spare", environment = "live" }));
        var apiKey = key.GetProperty("secret").GetString()!;
        using var api = server.CreateClient(apiKey);
        var channel = Id(await DataAsync(api.PostAsJsonAsync("v1/channels", new { name = "Loja", kind = "sandbox", messages_per_second = 1000 })));
        var whatsapp = Id(await DataAsync(api.PostAsJsonAsync("v1/channels", new
        {
            name = "Loja WhatsApp",
            kind = "whatsapp_cloud",
            whatsapp = new { phone_number_id = "1065", access_token = "token", app_secret = AppSecret, verify_token = VerifyToken },
        })));
        var customer = Id(await DataAsync(api.PostAsJsonAsync("v1/customers", Customer())));
        var doomedCustomer = Id(await DataAsync(api.PostAsJsonAsync("v1/customers", Customer())));
        var chat = Id(await DataAsync(api.PostAsJsonAsync("v1/chats", new { channel_id = channel, customer_id = customer })));
        var message = Id(await DataAsync(api.PostAsJsonAsync("v1/messages/send", new { channel_id = channel, to = Phone(), type = "text", content = new { text = "Olá" } })));
        var webhook = Id(await DataAsync(api.PostAsJsonAsync("v1/webhooks", new { url = webhookReceiver, events = new[] { "customer.created" } })));
        var doomedWebhook = Id(await DataAsync(api.PostAsJsonAsync("v1/webhooks", new { url = webhookReceiver, events = new[] { "*" } })));
        var bulk = Id(await DataAsync(api.PostAsJsonAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "Oi" }, recipients = new[] { new { to = Phone() } } })));
        var rolledKey = Id(await DataAsync(admin.PostAsJsonAsync($"manage/accounts/{accountId}/keys", new { name = "to roll", environment = "test" })));
        var revokedKey = Id(await DataAsync(admin.PostAsJsonAsync($"manage/accounts/{accountId}/keys", new { name = "to revoke", environment = "test" })));
        var owner = Id(await DataAsync(admin.PostAsJsonAsync($"manage/accounts/{accountId}/members", new { name = "Dona da conta", email = "dona@loja.com.br", role = "owner" })));
        var doomedMember = Id(await DataAsync(admin.PostAsJsonAsync($"manage/accounts/{accountId}/members", new { name = "Ex-membro", role = "viewer" })));
        var console = await BrowserSession.SignInAsync(server, admin, accountId, owner);
        var leaving = await BrowserSession.SignInAsync(server, admin, accountId, owner);
        var link = (await DataAsync(admin.PostAsync($"manage/accounts/{accountId}/members/{owner}/sign-in-links", null))).GetProperty("path").GetString()!;
        RouteSample Console(ApiRoute route, string path, JsonNode? body = null, BrowserSession? session = null) =>
            new(route, path, "", body, SampleCaller.Console) { Headers = (session ?? console).Headers };

        var samples = new List<RouteSample>
        {
            new(CustomersApi.List, "v1/customers", "search=joao&tag=vip&page=1&per_page=20", null, SampleCaller.ApiKey),
            new(CustomersApi.Create, "v1/customers", "", Json(Customer()), SampleCaller.ApiKey),
            Item(CustomersApi.Get, "v1/customers/{id}", customer),
            Item(CustomersApi.Update, "v1/customers/{id}", customer, Json(new { name = "João Souza", tags = new[] { "gold" }, custom_fields = new { cargo = (string?)null, nivel = 3 } })),
            Item(CustomersApi.Delete, "v1/customers/{id}", doomedCustomer),
            new(ChannelsApi.List, "v1/channels", "", null, SampleCaller.ApiKey),
            new(ChannelsApi.Create, "v1/channels", "", Json(new { name = "Outra loja", kind = "sandbox", messages_per_second = 80 }), SampleCaller.ApiKey),
            Item(ChannelsApi.Get, "v1/channels/{id}", channel),
            new(MessagesApi.SendRoute, "v1/messages/send", "", Json(new
            {
                channel_id = channel, to = Phone(), type = "text", content = new { text = "Olá! Esta é uma mensagem via API." },
                metadata = new { pedido = "42", origem = new { sistema = "crm" } },
            }), SampleCaller.ApiKey),
            Item(MessagesApi.Get, "v1/messages/{id}", message),
            new(BulkApi.Submit, "v1/messages/bulk", "", Json(new
            {
                channel_id = channel, type = "text", content = new { text = "Olá {{1}}, pedido {{2}}" },
                recipients = new[] { new { to = Phone(), variables = new[] { "João", "#42" } }, new { to = Phone(), variables = new[] { "Ana", "#43" } } },
            }), SampleCaller.ApiKey),
            Item(BulkApi.Get, "v1/messages/bulk/{id}", bulk),
            Item(BulkApi.Cancel, "v1/messages/bulk/{id}/cancel", bulk),
            new(ChatsApi.List, "v1/chats", $"status=open&channel_id={channel}&page=1&per_page=10", null, SampleCaller.ApiKey),
            new(ChatsApi.Create, "v1/chats", "", Json(new { channel_id = channel, phone = Phone() }), SampleCaller.ApiKey),
            Item(ChatsApi.Get, "v1/chats/{id}", chat),
            Item(ChatsApi.Update, "v1/chats/{id}", chat, Json(new { unread_count = 0 })),
            Item(ChatsApi.Messages, "v1/chats/{id}/messages", chat) with { Query = "order=desc&per_page=50" },
            new(WebhooksApi.List, "v1/webhooks", "", null, SampleCaller.ApiKey),
            new(WebhooksApi.Create, "v1/webhooks", "", Json(new { url = webhookReceiver, events = new[] { "message.delivered", "message.received" }, description = "CRM" }), SampleCaller.ApiKey),
            Item(WebhooksApi.Get, "v1/webhooks/{id}", webhook),
            Item(WebhooksApi.Update, "v1/webhooks/{id}", webhook, Json(new { description = "CRM novo", enabled = true })),
            Item(WebhooksApi.Delete, "v1/webhooks/{id}", doomedWebhook),
            Item(WebhooksApi.Deliveries, "v1/webhooks/{id}/deliveries", webhook),
            Item(WebhooksApi.Test, "v1/webhooks/{id}/test", webhook),
            new(WhatsAppWebhookApi.Verify, $"hooks/whatsapp/{whatsapp}", $"hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=1158201444", null, SampleCaller.Provider)
            {
                PathValues = new Dictionary<string, string> { ["channelId"] = whatsapp },
            },
            new(WhatsAppWebhookApi.Receive, $"hooks/whatsapp/{whatsapp}", "", Notification(), SampleCaller.Provider)
            {
                PathValues = new Dictionary<string, string> { ["channelId"] = whatsapp },
            },
            new(DocsApi.OpenApi, DocsApi.OpenApiRoute, "", null, SampleCaller.Anonymous),
            new(DocsApi.Page, DocsApi.PageRoute, "", null, SampleCaller.Anonymous),
            new(ConsoleApi.EntryRoute, ConsoleApi.Entry, "", null, SampleCaller.Anonymous),
            new(ConsoleApi.Page, ConsoleApi.PageRoute, "", null, SampleCaller.Anonymous),
            new(ConsoleApi.SignInRoute, ConsoleApi.SignIn, link[(link.IndexOf('?') + 1)..], null, SampleCaller.Anonymous),
            Console(ConsoleApi.SessionRoute, ConsoleApi.Session),
            Console(ConsoleApi.SignOutRoute, ConsoleApi.SignOut, session: leaving),
            Console(ConsoleApi.ListKeys, ConsoleApi.Keys),
            Console(ConsoleApi.CreateKey, ConsoleApi.Keys, Json(new { name = "Backend", environment = "live", restrictions = new { customers = "read", messages = "write" } })),
            Console(ConsoleApi.RollKey, $"console/api/keys/{rolledKey}/roll", Json(new { grace = "1h" })) with { PathValues = new Dictionary<string, string> { ["keyId"] = rolledKey } },
            Console(ConsoleApi.RevokeKey, $"console/api/keys/{revokedKey}/revoke") with { PathValues = new Dictionary<string, string> { ["keyId"] = revokedKey } },
            Console(ConsoleApi.ListActivity, ConsoleApi.Activity),
            new(AdminApi.CreateAccount, "manage/accounts", "", Json(new { name = "Loja Azul", plan = "professional" }), SampleCaller.Admin),
            Admin(AdminApi.GetAccount, $"manage/accounts/{accountId}", new() { ["accountId"] = accountId }),
            Admin(AdminApi.CreateKey, $"manage/accounts/{accountId}/keys", new() { ["accountId"] = accountId }, Json(new { name = "backend", environment = "test" })),
            Admin(AdminApi.ListKeys, $"manage/accounts/{accountId}/keys", new() { ["accountId"] = accountId }),
            Admin(AdminApi.RevokeKey, $"manage/accounts/{accountId}/keys/{Id(spareKey)}", new() { ["accountId"] = accountId, ["keyId"] = Id(spareKey) }),
            Admin(AdminApi.AddMember, $"manage/accounts/{accountId}/members", new() { ["accountId"] = accountId },
                Json(new { name = "Ana Souza", email = "ana@loja.com.br", role = "developer", issuer = "https://login.microsoftonline.com/tenant/v2.0", subject = Guid.NewGuid().ToString() })),
            Admin(AdminApi.ListMembers, $"manage/accounts/{accountId}/members", new() { ["accountId"] = accountId }),
            Admin(AdminApi.RemoveMember, $"manage/accounts/{accountId}/members/{doomedMember}", new() { ["accountId"] = accountId, ["memberId"] = doomedMember }),
            Admin(AdminApi.CreateSignInLink, $"manage/accounts/{accountId}/members/{owner}/sign-in-links", new() { ["accountId"] = accountId, ["memberId"] = owner }),
        };
        var missing = ApiRouteTable.All.Where(r => samples.All(s => s.Route != r)).Select(r => r.Name).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"routes without a sample in RouteSamples: {string.Join(", ", missing)}");
        }
        return new RouteSamples(samples, apiKey);
    }

    /// <summary>The <c>X-Hub-Signature-256</c> of a provider body: hostile bodies are signed too, so that they reach the parser.</summary>
    public static string Signature(byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), body));

    private static RouteSample Item(ApiRoute route, string template, string id, JsonNode? body = null) =>
        new(route, template.Replace("{id}", id, StringComparison.Ordinal), "", body, SampleCaller.ApiKey) { PathValues = new Dictionary<string, string> { ["id"] = id } };

    private static RouteSample Admin(ApiRoute route, string path, Dictionary<string, string> values, JsonNode? body = null) =>
        new(route, path, "", body, SampleCaller.Admin) { PathValues = values };

    private static object Customer() => new
    {
        name = "João Silva",
        email = $"joao.{Guid.NewGuid():N}@email.com",
        phone = Phone(),
        tags = new[] { "vip", "newsletter" },
        custom_fields = new { empresa = "Empresa XYZ", cargo = "Gerente" },
    };

    private static JsonNode Notification() => JsonNode.Parse($$$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"551140000000","phone_number_id":"1065"},
          "contacts":[{"profile":{"name":"Maria"},"wa_id":"{{{{Phone()}}}}"}],
          "messages":[{"from":"{{{{Phone()}}}}","id":"wamid.{{{{Guid.NewGuid():N}}}}","timestamp":"1732400000","type":"text","text":{"body":"Oi"}}],
          "statuses":[{"id":"wamid.unknown","status":"delivered","timestamp":"1732400001","recipient_id":"5511"}]}}]}]}
        """)!;

    private static int phoneCounter = Random.Shared.Next(1_000_000);

    /// <summary>A real São Paulo mobile number, different on every call.</summary>
    public static string Phone() => $"551197{Interlocked.Increment(ref phoneCounter) % 10_000_000:D7}";

    private static JsonNode Json(object value) => JsonSerializer.SerializeToNode(value)!;

    private static string Id(JsonElement data) => data.GetProperty("id").GetString()!;

    private static async Task<JsonElement> DataAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"fixture call failed: {(int)response.StatusCode} {body}");
        }
        return body.GetProperty("data");
    }
}
