using System.Net.Http.Headers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Interflow.Api.Http;
using Interflow.Api.Inbound;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;

namespace Interflow.HostileRequests;

/// <summary>What a run found: how many cases of each damage it tried, and every broken invariant with its reproduction.</summary>
/// <param name="RejectedByServer">Requests the HTTP server itself refused before the app ran (a NUL in the path): a bare 400.</param>
public sealed record HostileRunReport(
    int Seed, IReadOnlyDictionary<Damage, int> Tried, IReadOnlyDictionary<string, int> TriedPerRoute, int RejectedByServer, IReadOnlyList<string> Violations)
{
    public int Total => Tried.Values.Sum();

    public override string ToString() =>
        $"seed {Seed}: {Total} cases ({string.Join(", ", Tried.OrderBy(t => t.Key).Select(t => $"{t.Key.ToString().ToLowerInvariant()} {t.Value}"))}) " +
        $"over {TriedPerRoute.Count} routes; {RejectedByServer} refused by the HTTP server before the app; {Violations.Count} violations";
}

/// <summary>
/// Sends hostile requests generated from the route table to a test server and checks what every answer must keep:
/// never a 5xx; always JSON in the envelope, an error carrying a documented code whose status it has; and a refused
/// request changes no stored row. The server runs without its queue consumers, so the store changes only in requests.
/// </summary>
public sealed class HostileRequestRun : IAsyncDisposable
{
    // Fresh fixtures on a fresh account this often: successful variants change them (a delete, a close), and each
    // account stays far under its rate limit.
    private const int CasesPerAccount = 150;

    private static readonly HashSet<string> DocumentedCodes = [.. Enum.GetValues<ErrorCode>().Select(c => c.WireName())];

    // Counters and idempotency records are written by refused requests by design; every other table must not move.
    private static readonly string[] CountedTables =
    [
        "accounts", "api_keys", "customers", "channels", "chats", "messages", "events", "webhook_endpoints",
        "webhook_deliveries", "bulk_jobs", "bulk_chunks",
    ];

    private readonly InterflowTestServer server;
    private readonly WebApplication receiver;
    private readonly string receiverUrl;
    private readonly string storePath;

    private HostileRequestRun(InterflowTestServer server, WebApplication receiver, string receiverUrl, string storePath)
    {
        this.server = server;
        this.receiver = receiver;
        this.receiverUrl = receiverUrl;
        this.storePath = storePath;
    }

    public static async Task<HostileRequestRun> StartAsync()
    {
        var receiver = LoopbackHost.Create();
        receiver.MapPost("/hooks", () => Microsoft.AspNetCore.Http.Results.Ok());
        var receiverUrl = await LoopbackHost.StartAsync(receiver) + "/hooks";
        var settings = new TestServerSettings { RunQueueConsumers = false };
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
        settings.Configuration["Interflow:Webhooks:Timeout"] = "00:00:02";
        var server = await InterflowTestServer.StartAsync(settings);
        return new HostileRequestRun(server, receiver, receiverUrl, settings.SqlitePath);
    }

    public async Task<HostileRunReport> RunAsync(int cases, int seed, Action<string>? progress = null)
    {
        var tried = Enum.GetValues<Damage>().ToDictionary(d => d, _ => 0);
        var perRoute = new Dictionary<string, int>();
        var violations = new List<string>();
        var rejectedByServer = 0;
        for (var done = 0; done < cases; done += CasesPerAccount)
        {
            var samples = await RouteSamples.CreateAsync(server, receiverUrl);
            var count = Math.Min(CasesPerAccount, cases - done);
            // FsCheck's generators, sampled from a seed: the same seed gives the same cases.
            var requests = Gen.Sample(HostileRequests.For(samples.All), count, new Rnd((ulong)seed + (ulong)done), 30);
            using var api = Client(samples.ApiKey);
            using var admin = Client(adminKey: server.AdminKey);
            using var anonymous = Client();
            foreach (var request in requests)
            {
                tried[request.Damage]++;
                perRoute[request.Sample.Route.Name] = perRoute.GetValueOrDefault(request.Sample.Route.Name) + 1;
                var client = request.Sample.Caller switch { SampleCaller.ApiKey => api, SampleCaller.Admin => admin, _ => anonymous };
                var (verdict, what) = await CheckAsync(client, request);
                if (verdict == Verdict.RejectedByServer)
                {
                    rejectedByServer++;
                }
                else if (verdict == Verdict.Violated)
                {
                    violations.Add($"{what}\n    {request.Describe()}");
                }
            }
            progress?.Invoke($"{done + count} cases, {violations.Count} violations");
        }
        return new HostileRunReport(seed, tried, perRoute, rejectedByServer, violations);
    }

    /// <summary>Sends one unchanged sample: the fuzzer is only as good as its samples are valid.</summary>
    public async Task<IReadOnlyList<(RouteSample Sample, int Status)>> SendSamplesAsync()
    {
        var samples = await RouteSamples.CreateAsync(server, receiverUrl);
        using var api = Client(samples.ApiKey);
        using var admin = Client(adminKey: server.AdminKey);
        using var anonymous = Client();
        var answers = new List<(RouteSample, int)>();
        foreach (var sample in samples.All)
        {
            var client = sample.Caller switch { SampleCaller.ApiKey => api, SampleCaller.Admin => admin, _ => anonymous };
            var body = sample.Body is null ? null : System.Text.Encoding.UTF8.GetBytes(sample.Body.ToJsonString());
            using var response = await SendAsync(client, new HostileRequest(sample, Damage.Field, "unchanged", sample.Path, sample.Query, body, body is null ? null : "application/json"));
            answers.Add((sample, (int)response.StatusCode));
        }
        return answers;
    }

    /// <summary>A client that writes header values as UTF-8 bytes, as a hostile client may, instead of refusing them.</summary>
    private HttpClient Client(string? apiKey = null, string? adminKey = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        if (adminKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", adminKey);
        }
        return client;
    }

    private enum Verdict
    {
        Kept,
        RejectedByServer,
        Violated,
    }

    private async Task<(Verdict Verdict, string? What)> CheckAsync(HttpClient client, HostileRequest request)
    {
        var before = await CountRowsAsync();
        HttpResponseMessage sent;
        try
        {
            sent = await SendAsync(client, request);
        }
        catch (HttpRequestException)
        {
            // A pooled connection the server closed after an earlier answer (it does so when it leaves a request body
            // unread): once more on a fresh one. A server that drops this request itself does so again.
            try
            {
                using var fresh = Client(client.DefaultRequestHeaders.Authorization?.Parameter,
                    client.DefaultRequestHeaders.TryGetValues("x-functions-key", out var admin) ? admin.Single() : null);
                sent = await SendAsync(fresh, request);
            }
            catch (HttpRequestException exception)
            {
                return (Verdict.Violated, $"no answer: {exception.InnerException?.Message ?? exception.Message}");
            }
        }
        using var response = sent;
        var status = (int)response.StatusCode;
        var raw = await response.Content.ReadAsByteArrayAsync();
        if (status >= 500)
        {
            return (Verdict.Violated, $"{status}: {System.Text.Encoding.UTF8.GetString(raw)}");
        }
        var refused = status >= 400 && !(await CountRowsAsync()).SequenceEqual(before);
        if (refused)
        {
            return (Verdict.Violated, $"{status} refused the request, yet stored rows changed");
        }
        // Kestrel refuses some request lines (a NUL in the path) itself, with an empty 400, before any app code runs;
        // the Functions host's front end does the same in Azure.
        if (status == 400 && raw.Length == 0 && response.Content.Headers.ContentType is null)
        {
            return (Verdict.RejectedByServer, null);
        }
        // A path the client normalized onto another route (console/api-keys/.. is /console) may be answered by that
        // route's redirect: a 303 to a path of the app is an answer.
        if (status == 303 && response.Headers.Location is { OriginalString: ['/', ..] })
        {
            return (Verdict.Kept, null);
        }
        // A few answers are not the envelope (the OpenAPI document, the docs page, the WhatsApp challenge): their routes say so.
        var declaredRaw = request.Sample.Route.Responses.FirstOrDefault(r => r.Status == status)?.RawContentType;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != (declaredRaw ?? "application/json"))
        {
            return (Verdict.Violated, $"{status} with Content-Type {response.Content.Headers.ContentType}");
        }
        if (declaredRaw is null && Envelope(status, raw) is { } broken)
        {
            return (Verdict.Violated, $"{status}: {broken}");
        }
        return (Verdict.Kept, null);
    }

    private static string? Envelope(int status, byte[] raw)
    {
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(raw).RootElement;
        }
        catch (JsonException)
        {
            return "the body is not JSON";
        }
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "not the envelope";
        }
        if (status < 400)
        {
            return success.GetBoolean() && body.TryGetProperty("data", out _) ? null : "a success without success: true and data";
        }
        if (success.GetBoolean() || !body.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return "an error without success: false and error";
        }
        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        if (!DocumentedCodes.Contains(code))
        {
            return $"undocumented error code '{code}'";
        }
        if (Enum.GetValues<ErrorCode>().Single(e => e.WireName() == code).Status() != status)
        {
            return $"code {code} with status {status}";
        }
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String || message.GetString()!.Length == 0)
        {
            return "an error without a message";
        }
        if (error.TryGetProperty("details", out var details)
            && (details.ValueKind != JsonValueKind.Array
                || details.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Object
                    || !d.TryGetProperty("field", out var f) || f.ValueKind != JsonValueKind.String
                    || !d.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.String)))
        {
            return "details that are not [{field, message}]";
        }
        return null;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HostileRequest request)
    {
        var uri = request.Path + (request.Query.Length > 0 ? "?" + request.Query : "");
        using var message = new HttpRequestMessage(new HttpMethod(request.Sample.Route.Method), new Uri(uri, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
            if (request.Sample.Caller == SampleCaller.Provider)
            {
                message.Headers.TryAddWithoutValidation("X-Hub-Signature-256", RouteSamples.Signature(request.Body));
            }
        }
        foreach (var (name, value) in request.Sample.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.Remove(name);
            if (name == "Authorization")
            {
                message.Headers.Authorization = null;
            }
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return await client.SendAsync(message);
    }

    private async Task<long[]> CountRowsAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        var counts = new long[CountedTables.Length];
        for (var i = 0; i < CountedTables.Length; i++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {CountedTables[i]}";
            counts[i] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await receiver.DisposeAsync();
    }
}
