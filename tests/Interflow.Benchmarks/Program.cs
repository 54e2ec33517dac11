using System.Globalization;
using System.Net.Http.Json;
using Interflow.Benchmarks;
using Interflow.Core.Accounts;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

// Request-cost benchmark: each API scenario through real HTTP on the test server (SQLite store, Azurite queues),
// next to a baseline measured in the same run: a bare Kestrel endpoint answering a constant JSON body, i.e. the
// HTTP cost with no pipeline, no store. Usage:
//   dotnet run -c Release --project tests/Interflow.Benchmarks -- [seconds per scenario, default 5] [concurrency, default 16]
//   dotnet run -c Release --project tests/Interflow.Benchmarks -- bulk [recipients, default 10000] [jobs, default 3] [channel messages/s, default 1000; 0: unpaced] [dead receivers, default 2]
// The request-cost benchmark needs Azurite: INTERFLOW_TEST_STORAGE as set by scripts/test.sh, or Azurite on its
// default ports; the bulk benchmark starts an Azurite of its own (npm) for each host, and runs the Functions host
// too when INTERFLOW_FUNCTIONS_HOST names one (scripts/bulk-benchmark.sh runs it and its black-box twin).
if (args.Length > 0 && args[0] == "bulk")
{
    await BulkBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 2);
    return;
}

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var duration = TimeSpan.FromSeconds(seconds);

await using var baselineServer = await BareKestrelAsync();
// Every store and queue port counted, so that each scenario's store work per request is measured, not estimated.
var work = new StoreWork();
await using var server = await InterflowTestServer.StartAsync(new TestServerSettings { CheckResponses = false, ConfigureServices = work.Wrap });

// Plans cap requests per account (1,000/min on enterprise): spread the load over enough accounts to stay under it.
var accounts = new List<TestAccount>();
for (var i = 0; i < 300; i++)
{
    accounts.Add(await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise));
}
var clients = accounts.Select(a => server.CreateClient(a.LiveKey)).ToArray();
HttpClient For(int n) => clients[n % clients.Length];

using var bare = new HttpClient { BaseAddress = baselineServer.Address };
var customerIds = new string[clients.Length];
var channels = new string[clients.Length];
for (var i = 0; i < clients.Length; i++)
{
    var created = await clients[i].PostAsJsonAsync("v1/customers", new { name = "Bench", phone = $"551198{i:D7}" });
    customerIds[i] = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").GetProperty("id").GetString()!;
    var channel = await clients[i].PostAsJsonAsync("v1/channels", new { name = "Bench", kind = "sandbox" });
    channels[i] = (await channel.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").GetProperty("id").GetString()!;
}

async Task<bool> Ok(Task<HttpResponseMessage> call)
{
    using var response = await call;
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

// A writing scenario's store work is counted until the background work it caused is done (delivery reports,
// events), and the next scenario starts only then, so each one's figures are its own. The sends' safety checks stay
// in the outbound queue (due a lease later; each then costs one read).
var queues = server.Services.GetRequiredService<StorageQueues>();
async Task Settle()
{
    for (var waited = 0; waited < 120 && !await IdleAsync(); waited++)
    {
        await Task.Delay(500);
    }
}
async Task<bool> IdleAsync()
{
    foreach (var name in QueueNames.All.Where(q => q != QueueNames.Outbound))
    {
        if ((await queues.Queue(name).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            return false;
        }
    }
    return true;
}

var results = new List<LoadResult>
{
    await LoadRun.RunAsync("baseline: bare Kestrel, constant JSON", concurrency, duration, n => Ok(bare.GetAsync("json"))),
    await LoadRun.RunAsync("GET /v1/customers/:id", concurrency, duration, n => Ok(For(n).GetAsync($"v1/customers/{customerIds[n % clients.Length]}")), work),
    await LoadRun.RunAsync("GET /v1/customers?per_page=20", concurrency, duration, n => Ok(For(n).GetAsync("v1/customers?per_page=20")), work),
    await LoadRun.RunAsync("POST /v1/customers", concurrency, duration, n => Ok(For(n).PostAsJsonAsync("v1/customers", new { name = "Load", email = $"load{n}.{Guid.NewGuid():N}@example.com" })), work, Settle),
    // Each request on another tenant: nothing for group commit to join, every send a block of one.
    await LoadRun.RunAsync("POST /v1/messages/send, tenant per request", concurrency, duration, n => Ok(For(n).PostAsJsonAsync("v1/messages/send",
        new { channel_id = channels[n % clients.Length], to = $"551197{n % 10_000_000:D7}", type = "text", content = new { text = "oi" } })), work, Settle),
    // One tenant at a time takes every client's sends (a business pushing a burst), the next tenant 100 ms later: the
    // concurrent sends of a tenant and channel are what group commit joins, and no account passes its plan's limit.
    await LoadRun.RunAsync("POST /v1/messages/send, tenant per burst", concurrency, duration, n =>
    {
        var tenant = (int)(Environment.TickCount64 / 100 % clients.Length);
        return Ok(clients[tenant].PostAsJsonAsync("v1/messages/send",
            new { channel_id = channels[tenant], to = $"551196{n % 10_000_000:D7}", type = "text", content = new { text = "oi" } }));
    }, work, Settle),
};

var baseline = results[0].RequestsPerSecond;
Console.WriteLine($"\n{concurrency} concurrent clients, {seconds:0.#} s per scenario, {Environment.ProcessorCount} cores\n");
// Store work per request counts what ran while the scenario did, background work included (a send's delivery
// reports, the event relay), so a scenario's counts are those of the system under that load.
Console.WriteLine($"{"scenario",-40} {"req/s",9} {"vs baseline",12} {"p50 ms",8} {"p99 ms",8} {"non-2xx",8} {"reads/req",10} {"writes/req",11} {"queue/req",10}");
foreach (var r in results)
{
    Console.WriteLine($"{r.Name,-40} {r.RequestsPerSecond,9:0} {r.RequestsPerSecond / baseline,11:0.000}x {r.P50Ms,8:0.0} {r.P99Ms,8:0.0} {r.Errors,8} " +
        $"{r.PerRequest(w => w.Reads),10} {r.PerRequest(w => w.Writes),11} {r.PerRequest(w => w.Enqueues),10}");
}
Console.WriteLine("\nWhere the store work goes (calls per request, by port and method):");
foreach (var r in results.Where(r => r.Work is not null))
{
    var top = r.Work!.Calls.Where(c => c.Value > 0).OrderByDescending(c => c.Value)
        .Select(c => $"{c.Key} {(double)c.Value / r.Requests:0.00}");
    Console.WriteLine($"  {r.Name}: {string.Join(", ", top)}");
}

foreach (var client in clients)
{
    client.Dispose();
}

static async Task<BareServer> BareKestrelAsync()
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

internal sealed record BareServer(WebApplication App, Uri Address) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
