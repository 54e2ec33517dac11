using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Infrastructure.Queues;
using Interflow.Infrastructure.Telemetry;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Interflow.Benchmarks.BenchmarkCalls;

namespace Interflow.Benchmarks;

/// <summary>
/// Sustained bulk load: consecutive jobs of the same size, each to new numbers (new customers and chats), through HTTP,
/// with one webhook endpoint subscribed to every event on a local receiver answering 200 and <c>dead</c> more on
/// loopback ports nobody listens on (connections refused). Run on the test server and, when a Functions host is
/// available, on the Functions app in it: each on a fresh Azurite and store of its own. For each job: the time to
/// <c>completed</c>; the time to quiescence (every event delivered to the live receiver, every queue empty, delayed
/// messages included, but for the dead endpoints' probes); messages per second; queue messages per recipient (test
/// server only: counted in-process); and the peak working set of this process. The raw rate of each Azurite (one
/// enqueue and one receive-and-delete, 16 at a time) is measured in the same run, as is the host against the server.
/// </summary>
public static class BulkBenchmark
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(10);

    /// <param name="messagesPerSecond">The channel's pacing; 0 for none (a channel stored without it: the API caps
    /// channels at 1,000/s, WhatsApp's highest tier), to measure the system's own capacity (test server only).</param>
    /// <param name="dead">Endpoints subscribed to every event whose receivers refuse connections.</param>
    /// <param name="where"><c>both</c>, or only the <c>server</c> or the <c>host</c> (no ratio between them then).</param>
    /// <param name="telemetry">Also run the test server's jobs with telemetry on (every span, metric and log exported
    /// over OTLP to a collector stand-in on loopback), for its cost against the run with it off.</param>
    public static async Task RunAsync(int recipients, int jobs, int messagesPerSecond, int dead, string where = "both", bool telemetry = true)
    {
        Console.WriteLine($"""

            Sustained bulk sends: {jobs} consecutive jobs of {recipients:N0} recipients, a sandbox channel paced at
            {(messagesPerSecond > 0 ? $"{messagesPerSecond:N0}/s" : "no limit")} (delivered and read reported), SQLite store, one live webhook endpoint and {dead} dead ones
            (connection refused) subscribed to every event, {Environment.ProcessorCount} cores; each host on a fresh Azurite of its own.
            """);
        var server = where == "host" ? new JobRates([], 1) : await RunOnAsync("test server", recipients, jobs, messagesPerSecond, dead, storage => StartServerAsync(storage, null));
        if (where != "host" && telemetry)
        {
            await using var collector = await OtlpSink.StartAsync(keep: false);
            var traced = await RunOnAsync("test server, telemetry on (OTLP to a collector stand-in, every span kept)", recipients, jobs, messagesPerSecond, dead,
                storage => StartServerAsync(storage, collector));
            // Each run has an Azurite of its own, whose raw rate differs: the ratio of each to its own Azurite's says more.
            Console.WriteLine($"\nTelemetry on / off, msg/s per job: {string.Join("  ", traced.PerSecond.Zip(server.PerSecond, (on, off) => $"{on / off:0.00}x"))}; " +
                $"each against its Azurite's raw rate: {string.Join("  ", traced.PerSecond.Zip(server.PerSecond, (on, off) => $"{on / traced.RawRate / (off / server.RawRate):0.00}x"))}  " +
                $"({collector.Exports:N0} export requests, {collector.Bytes / 1024.0 / 1024:0.0} MiB)");
        }
        if ((where == "server" ? "not asked for" : messagesPerSecond == 0 ? "an unpaced channel needs the store directly" : FunctionsHost.Unavailable) is { } why)
        {
            Console.WriteLine($"\nFunctions host: not run ({why})");
            return;
        }
        var host = await RunOnAsync("Functions host", recipients, jobs, messagesPerSecond, dead, async storage =>
        {
            var started = await FunctionsHost.StartAsync(new FunctionsHostSettings { Storage = storage });
            // The sample settings' queues (no prefix) on this Azurite; the host's counts are not in this process.
            return new Target(started, started.LiveKey ?? throw new InvalidOperationException("the host printed no bootstrap key"), null,
                new StorageQueues(storage, null, ""), async () =>
                {
                    await started.DisposeAsync();
                    // Kept for reading what the host did (which functions failed, and why).
                    Directory.CreateDirectory(Repository.Path(".artifacts"));
                    await File.WriteAllLinesAsync(Repository.Path(".artifacts/bulk-benchmark-host.log"), started.Log);
                }, CountsQueueMessages: false);
        });
        if (server.PerSecond.Count > 0)
        {
            Console.WriteLine($"\nFunctions host / test server, msg/s per job: {string.Join("  ", host.PerSecond.Zip(server.PerSecond, (h, t) => $"{h / t:0.00}x"))}");
        }
    }

    private static async Task<Target> StartServerAsync(string storage, OtlpSink? collector)
    {
        var settings = new TestServerSettings { CheckResponses = false, Storage = storage };
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
        if (collector is not null)
        {
            settings.Configuration[TelemetryExport.OtlpSetting] = collector.Endpoint.ToString().TrimEnd('/');
            settings.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }
        var started = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(started, Plan.Enterprise);
        return new Target(started, account.LiveKey, account.Id, started.Services.GetRequiredService<StorageQueues>(), started.DisposeAsync);
    }

    private sealed record Target(IApiHost Host, string Key, string? AccountId, StorageQueues Queues, Func<ValueTask> Stop, bool CountsQueueMessages = true);

    /// <summary>Messages per second of each job, and the raw rate of the Azurite they ran on.</summary>
    private sealed record JobRates(IReadOnlyList<double> PerSecond, double RawRate);

    private static async Task<JobRates> RunOnAsync(
        string name, int recipients, int jobs, int messagesPerSecond, int dead, Func<string, Task<Target>> start)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var rawRate = await AzuriteRoundTripsPerSecondAsync(azurite.ConnectionString, 5_000);
        var delivered = 0L;
        var receiver = LoopbackHost.Create();
        receiver.MapPost("/hooks", (HttpContext _) =>
        {
            Interlocked.Increment(ref delivered);
            return Results.Ok();
        });
        var receiverUrl = await LoopbackHost.StartAsync(receiver) + "/hooks";
        var target = await start(azurite.ConnectionString);
        var queues = target.Queues;
        using var client = target.Host.CreateClient(target.Key);
        string channel;
        if (messagesPerSecond > 0)
        {
            channel = (await Data(client.PostAsJsonAsync("v1/channels", new { name = "Bench", kind = "sandbox", messages_per_second = messagesPerSecond }))).GetProperty("id").GetString()!;
        }
        else
        {
            var server = (InterflowTestServer)target.Host;
            var unpaced = new Channel(Ids.New("ch"), new Tenant(target.AccountId!, ApiEnvironment.Live), ChannelKind.Sandbox, "Unpaced", null, int.MaxValue, DateTimeOffset.UtcNow);
            await server.Services.GetRequiredService<IChannelStore>().CreateAsync(unpaced, default);
            channel = unpaced.Id;
        }
        await Data(client.PostAsJsonAsync("v1/webhooks", new { url = receiverUrl, events = new[] { "*" } }));
        for (var i = 0; i < dead; i++)
        {
            await Data(client.PostAsJsonAsync("v1/webhooks", new { url = $"http://127.0.0.1:{LoopbackPorts.Free()}/x", events = new[] { "*" } }));
        }

        Console.WriteLine($"""

            {name}. Azurite raw rate in this run: {rawRate:N0} enqueue + receive/delete round trips/s (16-way).

            job  completed (s)  msg/s  vs raw   quiescent (s)  quiescent/completed  queue msgs/recipient  peak working set
            """);
        var rates = new List<double>();
        for (var job = 0; job < jobs; job++)
        {
            var (completed, rate) = await RunJobAsync($"{job + 1,3}", job);
            rates.Add(rate);
            if (rate < rates[0] / 1.2)
            {
                Console.WriteLine($"     job {job + 1} was {1 - rate / rates[0]:P0} slower than the first");
            }
        }
        await target.Stop();
        await receiver.DisposeAsync();
        return new JobRates(rates, rawRate);

        async Task<(double Completed, double Rate)> RunJobAsync(string label, int job)
        {
            var numbers = Enumerable.Range(0, recipients).Select(i => BulkNumbers.Of(job, i));
            var body = new { channel_id = channel, type = "text", content = new { text = "Olá {{1}}!" }, recipients = numbers.Select((to, i) => new { to, variables = new[] { $"Cliente {i}" } }) };
            var sentBefore = queues.MessagesSent();
            var sentBeforeByQueue = QueueNames.All.ToDictionary(q => q, queues.MessagesSent);
            var deliveredBefore = Interlocked.Read(ref delivered);
            // Every recipient: customer.created, chat.created, message.sent, .delivered, .read; and the job's bulk.completed.
            var expectedEvents = 5L * recipients + 1;
            var peak = 0L;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    using var self = Process.GetCurrentProcess();
                    peak = Math.Max(peak, self.WorkingSet64);
                    await Task.Delay(100).ConfigureAwait(false);
                }
            });
            var clock = Stopwatch.StartNew();
            var id = (await Data(client.PostAsJsonAsync("v1/messages/bulk", body))).GetProperty("id").GetString();
            JsonElement state;
            do
            {
                await Task.Delay(100);
                state = (await client.GetFromJsonAsync<JsonElement>($"v1/messages/bulk/{id}")).GetProperty("data");
            }
            while (state.GetProperty("status").GetString() != "completed" && clock.Elapsed < GiveUp);
            var completed = clock.Elapsed.TotalSeconds;
            while ((Interlocked.Read(ref delivered) - deliveredBefore < expectedEvents || !await QueueBacklog.WithinAsync(queues, QueueBacklog.DeadEndpointProbes(dead))) && clock.Elapsed < GiveUp)
            {
                // Looking is cheap but not free: the emulator serves these calls too.
                await Task.Delay(250);
            }
            var quiescent = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            var sent = state.GetProperty("sent").GetInt32();
            var events = Interlocked.Read(ref delivered) - deliveredBefore;
            var perRecipient = target.CountsQueueMessages ? $"{(queues.MessagesSent() - sentBefore) / (double)recipients,20:0.000}" : $"{"n/a",20}";
            Console.WriteLine(
                $"{label}  {completed,13:0.0}  {sent / completed,5:N0}  {sent / completed / rawRate,5:0.00}x   {quiescent,13:0.0}  {quiescent / completed,19:0.00}x  {perRecipient}  {peak / 1024 / 1024,12:N0} MiB" +
                (sent == recipients && state.GetProperty("queued").GetInt32() == 0 ? "" : $"   (sent {sent}, queued {state.GetProperty("queued").GetInt32()}, status {state.GetProperty("status").GetString()})") +
                (events == expectedEvents ? "" : $"   ({events} of {expectedEvents} events delivered)") +
                (target.CountsQueueMessages ? "   " + string.Join(", ", QueueNames.All.Select(q => (q, n: queues.MessagesSent(q) - sentBeforeByQueue[q])).Where(x => x.n > 0).Select(x => $"{x.q} {x.n}")) : ""));
            return (completed, sent / completed);
        }
    }

    /// <summary>One message sent, received and deleted, 16 at a time: the emulator's own ceiling for one queued unit of work.</summary>
    private static async Task<double> AzuriteRoundTripsPerSecondAsync(string storage, int count)
    {
        var queues = new StorageQueues(storage, null, $"raw{Guid.NewGuid():N}"[..12] + "-");
        var queue = queues.Queue("bench");
        await queue.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                await queue.SendMessageAsync("{}");
                var received = (await queue.ReceiveMessageAsync()).Value;
                if (received is not null)
                {
                    await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
                }
            }
        }));
        var rate = count / clock.Elapsed.TotalSeconds;
        await queue.DeleteAsync();
        return rate;
    }
}
