using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Interflow.Api.Http;
using Xunit.Abstractions;

namespace Interflow.Functions.Tests.Host;

/// <summary>
/// The Functions app as users run it: its Release build in a Functions host, called over HTTP. What serves each request is
/// read from the host's own log ("Executing 'Functions.Name'").
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostTests(HostFixture fixture, ITestOutputHelper output)
{
    private static readonly HashSet<string> HttpFunctions = [.. AppBuild.Functions.Where(f => f.IsHttp).Select(f => f.Name)];

    private FunctionsHost Host => fixture.Host;

    [SkippableFact]
    public async Task The_smoke_script_passes_against_the_host()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        output.WriteLine($"host started in {fixture.StartedIn.TotalSeconds:F1} s");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Repository.Path("scripts/smoke.mjs"), "--base", Host.BaseAddress.ToString().TrimEnd('/'), "--key", Host.TestKey! },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var smoke = Process.Start(start)!;
        var stdout = smoke.StandardOutput.ReadToEndAsync();
        var stderr = smoke.StandardError.ReadToEndAsync();
        await smoke.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);

        output.WriteLine(await stdout + await stderr);
        Assert.True(smoke.ExitCode == 0, $"smoke script failed; host log:\n{Host.LogTail()}");
        Assert.Contains(", 0 failed", await stdout);
    }

    [SkippableFact]
    public async Task Every_route_reaches_its_own_function_in_the_host()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        var samples = await RouteSamples.CreateAsync(Host, fixture.Receiver.Url);
        using var api = Host.CreateClient(samples.ApiKey);
        using var admin = Host.CreateAdminClient();
        // Console and anonymous samples: redirects are answers here (the console's entry and sign-in), not followed.
        using var anonymous = BrowserSession.Browser(Host);
        // The setup's own calls (the last one mints a sign-in link) may still be on their way through the host's log pipe.
        await ExecutionsSettledAsync();
        var watch = Stopwatch.StartNew();
        foreach (var sample in samples.All)
        {
            var client = sample.Caller switch { SampleCaller.ApiKey => api, SampleCaller.Admin => admin, _ => anonymous };
            var before = Host.Executions.Count;
            using var request = sample.ToRequest();
            using var response = await client.SendAsync(request);

            var ran = await HttpExecutionsAfterAsync(before);
            Assert.True(ran.SequenceEqual([sample.Route.Name]), $"{sample.Route.Method} /{sample.Path} ran {string.Join(", ", ran)}, not {sample.Route.Name} ({(int)response.StatusCode})");
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.SeeOther, $"{sample.Route.Method} /{sample.Path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        output.WriteLine($"{samples.All.Count} routes, each reached its own function in the host, {watch.Elapsed.TotalSeconds:F1} s");
    }

    [SkippableTheory]
    [InlineData("PUT", "v1/customers", 405, "UnmatchedPut")]
    [InlineData("PATCH", "v1/customers/cust_1", 405, "UnmatchedOther")]
    [InlineData("GET", "v1/nothing/here", 404, "UnmatchedGet")]
    [InlineData("GET", "", 404, "UnmatchedGet")]
    [InlineData("POST", "favicon.ico", 404, "UnmatchedPost")]
    [InlineData("DELETE", "v1/chats/chat_1", 405, "UnmatchedDelete")]
    public async Task A_request_no_route_takes_gets_the_envelope_from_a_catch_all(string method, string path, int status, string function)
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        using var client = Host.CreateClient();
        await ExecutionsSettledAsync();
        var before = Host.Executions.Count;
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal([function], await HttpExecutionsAfterAsync(before));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(error.GetProperty("success").GetBoolean());
        Assert.Equal(status == 405 ? "METHOD_NOT_ALLOWED" : "NOT_FOUND", error.GetProperty("error").GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task Manage_routes_refuse_a_call_without_the_function_key_and_take_the_master_key()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        using var anonymous = Host.CreateClient();
        using var wrong = Host.CreateClient();
        wrong.DefaultRequestHeaders.Add("x-functions-key", "not-the-key");
        using var admin = Host.CreateAdminClient();
        var body = new { name = "Loja Host", plan = "starter" };
        await ExecutionsSettledAsync();
        var before = Host.Executions.Count;

        using var refused = await anonymous.PostAsJsonAsync("manage/accounts", body);
        using var forged = await wrong.PostAsJsonAsync("manage/accounts", body);
        using var listRefused = await anonymous.GetAsync("manage/accounts/acc_1/keys");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, listRefused.StatusCode);
        Assert.Empty(await HttpExecutionsAfterAsync(before, settle: TimeSpan.FromSeconds(1)));

        using var created = await admin.PostAsJsonAsync("manage/accounts", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetString();
        using var byQuery = await anonymous.GetAsync($"manage/accounts/{id}?code={Host.Settings.MasterKey}");
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
    }

    [SkippableFact]
    public async Task The_whatsapp_webhook_answers_the_handshake_and_a_signed_notification_becomes_message_received()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        const string appSecret = "host-app-secret", verifyToken = "host-verify";
        var samples = await RouteSamples.CreateAsync(Host, fixture.Receiver.Url);
        using var api = Host.CreateClient(samples.ApiKey);
        using var meta = Host.CreateClient();
        var channel = await DataIdAsync(api.PostAsJsonAsync("v1/channels", new
        {
            name = "Loja WhatsApp",
            kind = "whatsapp_cloud",
            whatsapp = new { phone_number_id = "2077", access_token = "token", app_secret = appSecret, verify_token = verifyToken },
        }));
        await DataIdAsync(api.PostAsJsonAsync("v1/webhooks", new { url = fixture.Receiver.Url, events = new[] { "message.received" } }));

        using var handshake = await meta.GetAsync($"hooks/whatsapp/{channel}?hub.mode=subscribe&hub.verify_token={verifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Equal("1158201444", await handshake.Content.ReadAsStringAsync());

        var from = RouteSamples.Phone();
        var wamid = $"wamid.host{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
              "messaging_product":"whatsapp","metadata":{"display_phone_number":"551140000000","phone_number_id":"2077"},
              "contacts":[{"profile":{"name":"Maria"},"wa_id":"{{{from}}}"}],
              "messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"1732400000","type":"text","text":{"body":"Oi do host"}}]}}]}]}
            """);
        using var unsigned = await meta.PostAsync($"hooks/whatsapp/{channel}", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        using var signed = new HttpRequestMessage(HttpMethod.Post, $"hooks/whatsapp/{channel}")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            Headers = { { "X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body)) } },
        };
        using var accepted = await meta.SendAsync(signed);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var received = await Eventually.MatchAsync(
            () => Task.FromResult(fixture.Receiver.Received.Where(r => r.Json.GetProperty("type").GetString() == "message.received"
                && r.Json.GetProperty("data").GetProperty("content").GetProperty("text").GetString() == "Oi do host").ToList()),
            r => r.Count > 0, TimeSpan.FromSeconds(60));
        Assert.True(received.Count > 0, $"no message.received delivered; host log:\n{Host.LogTail()}");
        Assert.Equal(from, received[0].Json.GetProperty("data").GetProperty("from").GetString());
    }

    /// <summary>The HTTP functions the host ran after the first <paramref name="before"/> executions, once its log has settled.</summary>
    private async Task ExecutionsSettledAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var seen = -1;
        while (Host.Executions.Count != seen && DateTime.UtcNow < deadline)
        {
            seen = Host.Executions.Count;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private async Task<List<string>> HttpExecutionsAfterAsync(int before, TimeSpan? settle = null)
    {
        // The host writes "Executing" before it calls the worker, so the line is out before the answer; its log pipe may lag.
        var deadline = DateTime.UtcNow + (settle ?? TimeSpan.FromSeconds(5));
        List<string> ran;
        do
        {
            ran = [.. Host.Executions.Skip(before).Where(HttpFunctions.Contains)];
            if (ran.Count > 0 && settle is null)
            {
                return ran;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return ran;
    }

    private static async Task<string> DataIdAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("id").GetString()!;
    }
}
