using System.Net;
using Interflow.Api.Tests.Messaging;
using Interflow.Api.Tests.Webhooks;
using Interflow.Core.Accounts;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Telemetry;

/// <summary>
/// The telemetry test classes share one run of the workload, alone: the app's ActivitySource and Meter are the
/// process's, so a capture would also count what servers of other test classes did meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryWorkloadCollection : ICollectionFixture<TelemetryWorkload>
{
    public const string Name = "Telemetry workload";
}

/// <summary>
/// A known workload on a test server whose telemetry is captured in memory: single sends on the sandbox (three read,
/// one refused) and on WhatsApp (a Graph API stub), a 150-recipient bulk job, webhooks for every sent, failed and
/// read message, an idempotent replay and a starter account past its rate limit. It records every secret and piece of
/// personal data it used, to be looked for in what was exported.
/// </summary>
public sealed class TelemetryWorkload : IAsyncLifetime
{
    public const int ReadSends = 3;
    public const int BulkRecipients = 150;

    private GraphApiStub graph = null!;

    public TelemetryCapture Capture { get; } = new();

    public InterflowTestServer Server { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    /// <summary>API keys, the admin key, the webhook secret and the WhatsApp credentials: never in telemetry.</summary>
    public List<string> Secrets { get; } = [];

    /// <summary>Phone numbers and message texts: never in telemetry.</summary>
    public List<string> PersonalData { get; } = [];

    /// <summary>Each single send: its message id and the request id it was answered with.</summary>
    public List<(string MessageId, string RequestId)> Sends { get; } = [];

    /// <summary>The bulk job's id and the request id of its submission.</summary>
    public (string Id, string RequestId) Bulk { get; private set; }

    /// <summary>The 429 answers the starter account got.</summary>
    public int Refusals { get; private set; }

    public async Task InitializeAsync()
    {
        graph = await GraphApiStub.StartAsync();
        Receiver = await WebhookReceiver.StartAsync();
        var settings = WebhookDeliveryTests.LocalSettings();
        settings.Configuration["Interflow:WhatsApp:GraphBaseUrl"] = graph.BaseAddress.ToString();
        settings.Telemetry = Capture;
        Server = await InterflowTestServer.StartAsync(settings);

        var account = await InterflowServerFixture.CreateAccountAsync(Server, Plan.Enterprise);
        Secrets.AddRange([account.LiveKey, account.TestKey, Server.AdminKey]);
        using var client = Server.CreateClient(account.LiveKey);
        var webhook = await client.PostApiAsync("v1/webhooks", new { url = Receiver.Url, events = new[] { "message.sent", "message.failed", "message.read" } });
        Secrets.Add(webhook.Data.GetProperty("secret").GetString()!);
        var sandbox = await client.CreateSandboxChannelAsync();
        var whatsapp = new { phone_number_id = "106540352242922", access_token = "EAAG-telemetry-token-4d1c", app_secret = "telemetry-app-secret-77", verify_token = "telemetry-verify-91" };
        Secrets.AddRange([whatsapp.access_token, whatsapp.app_secret, whatsapp.verify_token]);
        var cloud = (await client.PostApiAsync("v1/channels", new { name = "WhatsApp", kind = "whatsapp_cloud", whatsapp })).Data.GetProperty("id").GetString()!;

        for (var i = 0; i < ReadSends; i++)
        {
            await SendAsync(client, sandbox, ApiCalls.UniquePhone(), $"Seu pedido {i} saiu para entrega às 14h");
        }
        await SendAsync(client, sandbox, "5511987650000", "Mensagem para um número que o sandbox recusa");
        await SendAsync(client, cloud, ApiCalls.UniquePhone(), "Olá pelo WhatsApp, código 318274");

        var recipients = Enumerable.Range(0, BulkRecipients).Select(i => new { to = ApiCalls.UniquePhone(), variables = new[] { $"Cliente{i}" } }).ToArray();
        PersonalData.AddRange(recipients.Select(r => r.to));
        PersonalData.Add("Promoção exclusiva de dezembro");
        var bulk = await client.PostApiAsync("v1/messages/bulk", new { channel_id = sandbox, type = "text", content = new { text = "Promoção exclusiva de dezembro, {{1}}" }, recipients });
        Assert.Equal(HttpStatusCode.Accepted, bulk.Status);
        Bulk = (bulk.Data.GetProperty("id").GetString()!, bulk.Header("X-Request-Id"));

        var customer = ApiCalls.NewCustomer("Maria Confidencial");
        PersonalData.Add("Maria Confidencial");
        Action<HttpRequestMessage> sameKey = r => r.Headers.Add("Idempotency-Key", "telemetry-replay");
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/customers", customer, sameKey)).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/customers", customer, sameKey)).Status);

        var starter = await InterflowServerFixture.CreateAccountAsync(Server, Plan.Starter);
        Secrets.AddRange([starter.LiveKey, starter.TestKey]);
        using var limited = Server.CreateClient(starter.LiveKey);
        for (var i = 0; i < Plan.Starter.RequestsPerMinute() + 5; i++)
        {
            Refusals += (await limited.GetApiAsync("v1/customers")).Status == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        // Every webhook the workload implies: each message sent (the sandbox's, the WhatsApp one, the bulk's), the
        // refused one's failure, and each sandbox message read (the WhatsApp stub reports nothing).
        var sent = ReadSends + 1 + BulkRecipients;
        var expected = sent + 1 + (sent - 1);
        await Eventually.MatchAsync(() => Task.FromResult(Receiver.Succeeded.Count()), n => n >= expected, TimeSpan.FromSeconds(90));
        Assert.Equal(expected, Receiver.Succeeded.Count());
    }

    private async Task SendAsync(HttpClient client, string channel, string to, string text)
    {
        PersonalData.AddRange([to, text]);
        var sent = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, to, text));
        Assert.Equal(HttpStatusCode.Created, sent.Status);
        Sends.Add((sent.Data.GetProperty("id").GetString()!, sent.Header("X-Request-Id")));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        await graph.DisposeAsync();
    }
}
