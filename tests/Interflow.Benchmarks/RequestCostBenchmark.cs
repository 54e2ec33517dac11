using System.Net.Http.Json;
using Interflow.Infrastructure.Queues;
using Interflow.Infrastructure.Telemetry;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static Interflow.Benchmarks.BenchmarkCalls;

namespace Interflow.Benchmarks;

/// <summary>
/// Each API scenario through real HTTP, next to a baseline measured in the same run (a bare Kestrel endpoint answering
/// a constant JSON body: the HTTP cost with no pipeline and no store): first on the test server (SQLite, Azurite,
/// queue consumers in process), whose every store and queue port is counted, then, where a Functions host is
/// available, the same scenarios on the Functions app in it, on the same Azurite, so that what the host's HTTP
/// proxying to the worker costs is known. The test server runs the scenarios twice, with telemetry off (no exporter,
/// as locally) and on (every span, metric and log exported over OTLP to a collector stand-in on loopback); the host
/// runs them with its logging as shipped (host.json) and as it was before (every invocation logged at Information).
/// </summary>
public static class RequestCostBenchmark
{
    // Plans cap requests per account (1,000/min on enterprise): the load is spread over enough accounts to stay under it.
    private const int Accounts = 300;

    public static async Task RunAsync(double seconds, int concurrency)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        await using var bareServer = await BareKestrelAsync();
        using var bare = new HttpClient { BaseAddress = bareServer.Address };
        var work = new StoreWork();
        var settings = new TestServerSettings { CheckResponses = false, ConfigureServices = work.Wrap };
        LoadResult baseline;
        IReadOnlyList<LoadResult> onServer;
        await using (var server = await InterflowTestServer.StartAsync(settings))
        {
            // Measured beside the idle server (its queue consumers polling), as the scenarios are.
            baseline = await LoadRun.RunAsync("baseline: bare Kestrel, constant JSON", concurrency, duration, _ => Ok(bare.GetAsync("json")));
            onServer = await ScenariosAsync(server, server.Services.GetRequiredService<StorageQueues>(), concurrency, duration, work);
        }
        IReadOnlyList<LoadResult> traced;
        (int Requests, long Bytes) exports;
        await using (var collector = await OtlpSink.StartAsync(keep: false))
        {
            var tracedWork = new StoreWork();
            var tracedSettings = new TestServerSettings { CheckResponses = false, ConfigureServices = tracedWork.Wrap, Storage = settings.Storage };
            tracedSettings.Configuration[TelemetryExport.OtlpSetting] = collector.Endpoint.ToString().TrimEnd('/');
            tracedSettings.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            await using (var server = await InterflowTestServer.StartAsync(tracedSettings))
            {
                traced = await ScenariosAsync(server, server.Services.GetRequiredService<StorageQueues>(), concurrency, duration, tracedWork);
            }
            exports = (collector.Exports, collector.Bytes);
        }
        // Off once more, after on: a later run is warmer (the machine, Azurite), so on is compared with both offs.
        IReadOnlyList<LoadResult> offAgain;
        var againWork = new StoreWork();
        await using (var server = await InterflowTestServer.StartAsync(new TestServerSettings { CheckResponses = false, ConfigureServices = againWork.Wrap, Storage = settings.Storage }))
        {
            offAgain = await ScenariosAsync(server, server.Services.GetRequiredService<StorageQueues>(), concurrency, duration, againWork);
        }
        Console.WriteLine($"\nTest server: {concurrency} concurrent clients, {seconds:0.#} s per scenario, {Environment.ProcessorCount} cores\n");
        Console.WriteLine($"{"scenario",-44} {"req/s",9} {"vs baseline",12} {"p50 ms",8} {"p99 ms",8} {"non-2xx",8} {"reads/req",10} {"writes/req",11} {"queue/req",10}");
        foreach (var r in (IEnumerable<LoadResult>)[baseline, .. onServer])
        {
            Console.WriteLine($"{r.Name,-44} {r.RequestsPerSecond,9:0} {r.RequestsPerSecond / baseline.RequestsPerSecond,11:0.000}x {r.P50Ms,8:0.0} {r.P99Ms,8:0.0} {r.Errors,8} " +
                $"{r.PerRequest(w => w.Reads),10} {r.PerRequest(w => w.Writes),11} {r.PerRequest(w => w.Enqueues),10}");
        }
        Console.WriteLine("\nWhere the store work goes (calls per request, by port and method):");
        foreach (var r in onServer)
        {
            var top = r.Work!.Calls.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {(double)c.Value / r.Requests:0.00}");
            Console.WriteLine($"  {r.Name}: {string.Join(", ", top)}");
        }

        Console.WriteLine($"\nTelemetry on (OTLP over HTTP to a collector stand-in, every span kept: {exports.Requests:N0} export requests, {exports.Bytes / 1024.0 / 1024:0.0} MiB), run between two runs with it off, the same run:\n");
        Console.WriteLine($"{"scenario",-44} {"off req/s",10} {"on req/s",9} {"off again",10} {"on / mean off",14} {"on p50 ms",10} {"off p50 ms",11}");
        foreach (var ((on, off), again) in traced.Zip(onServer).Zip(offAgain))
        {
            var meanOff = (off.RequestsPerSecond + again.RequestsPerSecond) / 2;
            Console.WriteLine($"{on.Name,-44} {off.RequestsPerSecond,10:0} {on.RequestsPerSecond,9:0} {again.RequestsPerSecond,10:0} {on.RequestsPerSecond / meanOff,13:0.00}x {on.P50Ms,10:0.0} {(off.P50Ms + again.P50Ms) / 2,11:0.0}");
        }
        // Throughput on a shared 2-core machine drifts between runs; CPU per request is the steadier measure of the cost.
        Console.WriteLine("\nCPU per request, by process: off | on | off again");
        foreach (var ((on, off), again) in traced.Zip(onServer).Zip(offAgain))
        {
            Console.WriteLine($"  {on.Name}: {off.Cpu} | {on.Cpu} | {again.Cpu}");
        }

        if (FunctionsHost.Unavailable is { } why)
        {
            Console.WriteLine($"\nFunctions host: not run ({why})");
            return;
        }
        foreach (var (name, values) in HostLogging)
        {
            IReadOnlyList<LoadResult> onHost;
            var hostSettings = new FunctionsHostSettings { Storage = settings.Storage };
            foreach (var (setting, value) in values)
            {
                hostSettings.Environment[setting] = value;
            }
            await using (var host = await FunctionsHost.StartAsync(hostSettings))
            {
                // The sample settings' queues (no prefix) on the same Azurite; the host's store work is not in this process.
                onHost = await ScenariosAsync(host, new StorageQueues(settings.Storage, null, ""), concurrency, duration, work: null);
            }
            Console.WriteLine($"\nFunctions host, {name} (the same scenarios, the same baseline), beside the test server with telemetry off:\n");
            Console.WriteLine($"{"scenario",-44} {"host req/s",11} {"vs baseline",12} {"p50 ms",8} {"p99 ms",8} {"non-2xx",8} {"host/test server",17} {"p50 +ms",8}");
            foreach (var (h, t) in onHost.Zip(onServer))
            {
                Console.WriteLine($"{h.Name,-44} {h.RequestsPerSecond,11:0} {h.RequestsPerSecond / baseline.RequestsPerSecond,11:0.000}x {h.P50Ms,8:0.0} {h.P99Ms,8:0.0} {h.Errors,8} " +
                    $"{h.RequestsPerSecond / t.RequestsPerSecond,16:0.00}x {h.P50Ms - t.P50Ms,8:0.0}");
            }
            Console.WriteLine("\nCPU per request, by process (the test server's own, with telemetry off, for comparison):");
            foreach (var (h, t) in onHost.Zip(onServer))
            {
                Console.WriteLine($"  {h.Name}: {h.Cpu}  | test server: {t.Cpu}");
            }
        }
    }

    /// <summary>The host's logging as host.json ships it, and as it was before (each invocation's lines at Information), through the host's settings overrides.</summary>
    private static readonly (string Name, Dictionary<string, string> Values)[] HostLogging =
    [
        ("logging as host.json ships it", []),
        ("logging as before (Information for every invocation)", new()
        {
            ["AzureFunctionsJobHost__logging__logLevel__default"] = "Information",
            ["AzureFunctionsJobHost__logging__logLevel__Function"] = "Information",
            ["AzureFunctionsJobHost__logging__logLevel__Host.Results"] = "Information",
        }),
    ];

    /// <summary>The sends' safety checks stay in the outbound queue until a lease after the send; nothing else may.</summary>
    private static long SafetyChecks(string queue) => queue == QueueNames.Outbound ? long.MaxValue : 0;

    private static async Task<IReadOnlyList<LoadResult>> ScenariosAsync(IApiHost target, StorageQueues queues, int concurrency, TimeSpan duration, StoreWork? work)
    {
        var clients = new HttpClient[Accounts];
        var customerIds = new string[Accounts];
        var channels = new string[Accounts];
        using (var admin = target.CreateAdminClient())
        {
            for (var i = 0; i < Accounts; i++)
            {
                var account = await Data(admin.PostAsJsonAsync("manage/accounts", new { name = $"Bench {i}", plan = "enterprise" }));
                var key = await Data(admin.PostAsJsonAsync($"manage/accounts/{account.GetProperty("id").GetString()}/keys", new { name = "bench", environment = "live" }));
                clients[i] = target.CreateClient(key.GetProperty("secret").GetString());
                customerIds[i] = (await Data(clients[i].PostAsJsonAsync("v1/customers", new { name = "Bench", phone = $"551198{i:D7}" }))).GetProperty("id").GetString()!;
                channels[i] = (await Data(clients[i].PostAsJsonAsync("v1/channels", new { name = "Bench", kind = "sandbox" }))).GetProperty("id").GetString()!;
            }
        }
        HttpClient For(int n) => clients[n % clients.Length];

        // A writing scenario's store work is counted until the background work it caused is done (delivery reports,
        // events), and the next scenario starts only then, so that each one's figures are its own. The sends' safety
        // checks stay in the outbound queue (due a lease later; each then costs one read).
        async Task Settle()
        {
            for (var waited = 0; waited < 120 && !await QueueBacklog.WithinAsync(queues, SafetyChecks); waited++)
            {
                await Task.Delay(500);
            }
        }

        var results = new List<LoadResult>
        {
            await LoadRun.RunAsync("GET /v1/customers/:id", concurrency, duration, n => Ok(For(n).GetAsync($"v1/customers/{customerIds[n % Accounts]}")), work),
            await LoadRun.RunAsync("GET /v1/customers?per_page=20", concurrency, duration, n => Ok(For(n).GetAsync("v1/customers?per_page=20")), work),
            await LoadRun.RunAsync("POST /v1/customers", concurrency, duration, n =>
                Ok(For(n).PostAsJsonAsync("v1/customers", new { name = "Load", email = $"load{n}.{Guid.NewGuid():N}@example.com" })), work, Settle),
            // Each request on another tenant: nothing for group commit to join, every send a block of one.
            await LoadRun.RunAsync("POST /v1/messages/send, tenant per request", concurrency, duration, n => Ok(For(n).PostAsJsonAsync("v1/messages/send",
                new { channel_id = channels[n % Accounts], to = $"551197{n % 10_000_000:D7}", type = "text", content = new { text = "oi" } })), work, Settle),
            // One tenant at a time takes every client's sends (a business pushing a burst), the next tenant 100 ms
            // later: concurrent sends of a tenant and channel are what group commit joins, and no account passes its limit.
            await LoadRun.RunAsync("POST /v1/messages/send, tenant per burst", concurrency, duration, n =>
            {
                var tenant = (int)(Environment.TickCount64 / 100 % Accounts);
                return Ok(clients[tenant].PostAsJsonAsync("v1/messages/send",
                    new { channel_id = channels[tenant], to = $"551196{n % 10_000_000:D7}", type = "text", content = new { text = "oi" } }));
            }, work, Settle),
        };
        foreach (var client in clients)
        {
            client.Dispose();
        }
        return results;
    }

    private static async Task<BareServer> BareKestrelAsync()
    {
        var app = LoopbackHost.Create();
        var body = """{"success":true,"data":{"id":"cust_0","name":"Bench"}}"""u8.ToArray();
        app.MapGet("/json", async context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(body);
        });
        return new BareServer(app, new Uri(await LoopbackHost.StartAsync(app) + "/"));
    }

    private sealed record BareServer(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
