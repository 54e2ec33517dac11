using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Webhooks;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Webhooks;

/// <summary>SSRF refusals in production mode, DNS rebinding at delivery time, and events surviving a crash before dispatch.</summary>
public sealed class WebhookSafetyTests
{
    /// <summary>Names the test decides; anything else resolves for real.</summary>
    private sealed class ScriptedResolver : IHostResolver
    {
        public ConcurrentDictionary<string, IPAddress> Names { get; } = new();

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Names.TryGetValue(host, out var address) ? Task.FromResult(new[] { address }) : Dns.GetHostAddressesAsync(host, cancellationToken);
    }

    /// <summary>An event log that is down: the process "dies" between a change and its dispatch.</summary>
    private sealed class UnavailableEventLog : IEventLog
    {
        public Task<IReadOnlyList<DomainEvent>> AppendAsync(Tenant tenant, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken) => throw new IOException("event log down");

        public Task<DomainEvent?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) => throw new IOException("event log down");

        public Task<IReadOnlyList<DomainEvent>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) => throw new IOException("event log down");

        public Task<IReadOnlyList<DomainEvent>> ListAsync(Tenant tenant, int max, CancellationToken cancellationToken) => throw new IOException("event log down");
    }

    private static async Task<(InterflowTestServer Server, HttpClient Client, ScriptedResolver Resolver)> ProductionAsync()
    {
        var resolver = new ScriptedResolver();
        var settings = WebhookDeliveryTests.LocalSettings();
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "false";
        settings.ConfigureServices = services => services.AddSingleton<IHostResolver>(resolver);
        var server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        return (server, server.CreateClient(account.LiveKey), resolver);
    }

    [Theory]
    [InlineData("https://127.0.0.1/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://10.0.0.1/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://10.255.1.2:8443/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://[::1]/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://localhost/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://internal.example.test/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("https://metadata.example.test/hooks", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")]
    [InlineData("http://public.example.test/hooks", "Deve ser uma URL https absoluta")]
    [InlineData("http://127.0.0.1:8080/hooks", "Deve ser uma URL https absoluta")]
    [InlineData("https://user:pass@public.example.test/hooks", "Deve ser uma URL https absoluta")]
    public async Task Production_refuses_urls_that_reach_inside(string url, string message)
    {
        var (server, client, resolver) = await ProductionAsync();
        await using var _ = server;
        resolver.Names["internal.example.test"] = IPAddress.Parse("10.0.0.7");
        resolver.Names["metadata.example.test"] = IPAddress.Parse("169.254.169.254");
        resolver.Names["public.example.test"] = IPAddress.Parse("93.184.216.34");

        var response = await client.PostApiAsync("v1/webhooks", new { url, events = new[] { "*" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal([("url", message)], response.Details);
        Assert.Empty((await client.GetApiAsync("v1/webhooks")).Data.EnumerateArray());
    }

    /// <summary>Ways to write an address inside the network that a naive check misses.</summary>
    public static TheoryData<string> InsideSpellings =>
    [
        "https://[::ffff:127.0.0.1]/hooks", "https://[::ffff:7f00:1]/hooks", "https://[::ffff:169.254.169.254]/hooks",
        "https://2130706433/hooks", "https://0x7f000001/hooks", "https://0177.0.0.1/hooks", "https://127.1/hooks",
        "https://0.0.0.0/hooks", "https://[::]/hooks", "https://[::1]/hooks", "https://[::127.0.0.1]/hooks",
        "https://100.64.0.1/hooks", "https://100.127.255.254/hooks", "https://198.18.0.1/hooks", "https://198.19.255.254/hooks",
        "https://192.0.2.10/hooks", "https://[fc00::1]/hooks", "https://[fd12:3456::1]/hooks", "https://[fe80::1]/hooks",
        "https://[febf::1]/hooks", "https://224.0.0.1/hooks", "https://239.255.255.250/hooks", "https://[ff02::1]/hooks",
        "https://255.255.255.255/hooks", "https://240.0.0.1/hooks", "https://[64:ff9b::a9fe:a9fe]/hooks", "https://[2002:7f00:1::1]/hooks",
        "https://[2001:db8::1]/hooks",
    ];

    [Theory]
    [MemberData(nameof(InsideSpellings))]
    public async Task Production_refuses_every_spelling_of_an_inside_address_at_creation(string url)
    {
        var (server, client, _) = await ProductionAsync();
        await using var _ = server;

        var response = await client.PostApiAsync("v1/webhooks", new { url, events = new[] { "*" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal([("url", "Endereços privados, de loopback, link-local ou de metadados não são permitidos")], response.Details);
        Assert.Empty((await client.GetApiAsync("v1/webhooks")).Data.EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(InsideSpellings))]
    public async Task Production_refuses_every_spelling_of_an_inside_address_at_connect_time(string url)
    {
        var (server, _, resolver) = await ProductionAsync();
        await using var _ = server;
        var sender = server.Services.GetRequiredService<IWebhookSender>();
        var literal = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : throw new ArgumentException(url);
        resolver.Names["inside.example.test"] = IPAddress.Parse(literal);

        // Stored endpoints bypass the creation check here: what the sender itself does is under test.
        var direct = await sender.SendAsync(Endpoint(url), "evt_direct", "{}"u8.ToArray(), CancellationToken.None);
        var byName = await sender.SendAsync(Endpoint("https://inside.example.test/hooks"), "evt_name", "{}"u8.ToArray(), CancellationToken.None);

        Assert.Equal((null, "forbidden address"), (direct.StatusCode, direct.Error));
        Assert.Equal((null, "forbidden address"), (byName.StatusCode, byName.Error));
    }

    [Theory]
    [InlineData("https://93.184.216.34/hooks")]
    [InlineData("https://[64:ff9b::5db8:d822]/hooks")]
    [InlineData("https://[2606:2800:220:1::248]/hooks")]
    public async Task Production_accepts_public_addresses(string url)
    {
        var (server, client, _) = await ProductionAsync();
        await using var _ = server;

        var response = await client.PostApiAsync("v1/webhooks", new { url, events = new[] { "*" } });

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Theory]
    [InlineData(302, "http://169.254.169.254/latest/meta-data/")]
    [InlineData(307, "/internal")]
    [InlineData(308, "http://10.0.0.1/admin")]
    public async Task A_redirect_is_never_followed(int status, string location)
    {
        var internalHits = 0;
        var app = LoopbackHost.Create();
        app.MapPost("/hooks", (HttpContext http) =>
        {
            http.Response.Headers.Location = location;
            http.Response.StatusCode = status;
        });
        app.Map("/internal", () => Interlocked.Increment(ref internalHits));
        var baseUrl = await LoopbackHost.StartAsync(app);
        await using var _ = app;
        await using var server = await InterflowTestServer.StartAsync(WebhookDeliveryTests.LocalSettings());
        var sender = server.Services.GetRequiredService<IWebhookSender>();

        var outcome = await sender.SendAsync(Endpoint(baseUrl + "/hooks"), "evt_redirect", "{}"u8.ToArray(), CancellationToken.None);

        Assert.Equal(status, outcome.StatusCode);
        Assert.False(outcome.Succeeded);
        Assert.Equal(0, internalHits);
    }

    private static WebhookEndpoint Endpoint(string url) => new(
        "wh_test", new Tenant("acc_test", ApiEnvironment.Live), url, ["*"], null,
        "whsec_" + Convert.ToBase64String(new byte[32]), true, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_name_that_rebinds_to_loopback_is_refused_at_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (server, client, resolver) = await ProductionAsync();
        await using var _ = server;
        var port = new Uri(receiver.Url).Port;
        resolver.Names["rebind.example.test"] = IPAddress.Parse("93.184.216.34");
        var created = await client.PostApiAsync("v1/webhooks", new { url = $"https://rebind.example.test:{port}/hooks", events = new[] { "customer.created" } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var webhookId = created.Data.GetProperty("id").GetString();

        resolver.Names["rebind.example.test"] = IPAddress.Loopback;
        await client.CreateCustomerIdAsync();
        var delivery = await Eventually.MatchAsync(
            async () => (await client.GetApiAsync($"v1/webhooks/{webhookId}/deliveries")).Data,
            d => d.GetArrayLength() == 1 && d[0].GetProperty("attempts").GetArrayLength() >= 1);

        Assert.Equal("forbidden address", delivery[0].GetProperty("attempts")[0].GetProperty("error").GetString());
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task An_event_whose_dispatch_died_with_the_process_is_delivered_after_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var store = Path.Combine(Path.GetTempPath(), $"interflow-crash-{Guid.NewGuid():N}.db");
        var prefix = $"c{Guid.NewGuid():N}"[..12] + "-";
        var crashing = WebhookDeliveryTests.LocalSettings();
        crashing.SqlitePath = store;
        crashing.QueuePrefix = prefix;
        crashing.ConfigureServices = services => services.AddSingleton<IEventLog, UnavailableEventLog>();
        string key;
        string customerId;
        await using (var first = await InterflowTestServer.StartAsync(crashing))
        {
            var account = await InterflowServerFixture.CreateAccountAsync(first, Plan.Enterprise);
            key = account.LiveKey;
            using var client = first.CreateClient(key);
            Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "customer.created" } })).Status);
            customerId = await client.CreateCustomerIdAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Empty(receiver.Received);
        }

        var restarted = WebhookDeliveryTests.LocalSettings();
        restarted.SqlitePath = store;
        restarted.QueuePrefix = prefix;
        restarted.Configuration["Interflow:Events:SweepAge"] = "00:00:01";
        await using var second = await InterflowTestServer.StartAsync(restarted);
        var received = await Eventually.MatchAsync(() => Task.FromResult(receiver.Received.ToArray()), r => r.Length >= 1, TimeSpan.FromSeconds(30));

        var webhook = Assert.Single(received);
        Assert.Equal("customer.created", webhook.Json.GetProperty("type").GetString());
        Assert.Equal(customerId, webhook.Json.GetProperty("data").GetProperty("id").GetString());
        using var after = second.CreateClient(key);
        Assert.Equal(JsonValueKind.Object, (await after.GetApiAsync($"v1/customers/{customerId}")).Data.ValueKind);
    }
}
