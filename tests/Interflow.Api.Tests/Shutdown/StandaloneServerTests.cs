using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Interflow.Api.Tests.Webhooks;
using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Api.Tests.Shutdown;

/// <summary>The standalone server as a user runs it (<c>dotnet run --project tests/Interflow.TestServer</c>), stopped with SIGTERM.</summary>
public sealed partial class StandaloneServerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigterm_stops_it_within_ten_seconds_after_its_storage_went_away()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var server = await Standalone.StartAsync(azurite.ConnectionString);
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer())).Status);

        await azurite.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var stopped = await server.SigtermAsync();

        output.WriteLine($"stopped {stopped.TotalSeconds:F1} s after SIGTERM");
        Assert.InRange(stopped, TimeSpan.Zero, StopBudget);
    }

    [Fact]
    public async Task Sigterm_stops_it_within_ten_seconds_with_webhook_retries_pending_and_a_try_in_flight()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(500, WebhookReceiver.Hang);
        await using var server = await Standalone.StartAsync(azurite.ConnectionString);
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "*" } })).Status);
        for (var i = 0; i < 3; i++)
        {
            await client.CreateCustomerIdAsync();
        }
        // The first try failed (its retry waits in the queue); the next ones hang in flight.
        await Eventually.MatchAsync(() => Task.FromResult(receiver.Received.Count), c => c >= 3);

        var stopped = await server.SigtermAsync();

        output.WriteLine($"stopped {stopped.TotalSeconds:F1} s after SIGTERM");
        Assert.Equal(3, receiver.Received.Count);
        Assert.InRange(stopped, TimeSpan.Zero, StopBudget);
    }

    [Fact]
    public async Task Killed_mid_job_and_started_again_on_the_same_store_it_completes_the_job_once_per_recipient()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var store = Path.Combine(Path.GetTempPath(), $"interflow-standalone-{Guid.NewGuid():N}.db");
        var recipients = Enumerable.Range(0, 600).Select(_ => new { to = ApiCalls.UniquePhone() }).ToArray();
        string jobId;
        string key;
        int sentBeforeKill;
        await using (var first = await Standalone.StartAsync(azurite.ConnectionString, store))
        {
            key = first.Key;
            using var client = first.Client();
            // 50 a second: the 600 take 12 s, so the kill lands mid-job.
            var channelId = (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox", messages_per_second = 50 })).Data.GetProperty("id").GetString();
            var job = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channelId, type = "text", content = new { text = "Oi" }, recipients });
            Assert.Equal(HttpStatusCode.Accepted, job.Status);
            jobId = job.Data.GetProperty("id").GetString()!;
            var progress = await Eventually.MatchAsync(async () => (await client.GetApiAsync($"v1/messages/bulk/{jobId}")).Data, j => j.GetProperty("sent").GetInt32() >= 100, TimeSpan.FromSeconds(60));
            sentBeforeKill = progress.GetProperty("sent").GetInt32();
            await first.KillAsync();
        }

        await using var second = await Standalone.StartAsync(azurite.ConnectionString, store, key);
        using var after = second.Client();
        // What the killed process held comes back when its queue messages' visibility (30 s) lapses.
        var done = await Eventually.MatchAsync(
            async () => (await after.GetApiAsync($"v1/messages/bulk/{jobId}")).Data,
            j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(120));

        output.WriteLine($"killed after {sentBeforeKill} of 600 were sent; the next server completed the job");
        Assert.InRange(sentBeforeKill, 100, 599);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(600, done.GetProperty("sent").GetInt32());
        Assert.Equal(0, done.GetProperty("queued").GetInt32());
        Assert.Equal(600, await TotalAsync(after, "v1/customers"));
        Assert.Equal(600, await TotalAsync(after, "v1/chats?status=open"));
    }

    [Fact]
    public async Task Without_its_storage_it_says_in_one_line_where_it_looked_and_exits()
    {
        var endpoint = $"http://127.0.0.1:{LoopbackPorts.Free()}/devstoreaccount1";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(InterflowTestServer).Assembly.Location, "--port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["INTERFLOW_TEST_STORAGE"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint={endpoint};" },
        };
        using var server = Process.Start(start)!;
        var stdout = server.StandardOutput.ReadToEndAsync();
        var stderr = server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(1, server.ExitCode);
        Assert.Equal("", await stdout);
        Assert.Equal(
            $"Interflow test server: cannot reach the queue storage at {endpoint} (Connection refused). Start Azurite (bash scripts/run.sh does), or name the storage in INTERFLOW_TEST_STORAGE.",
            (await stderr).TrimEnd('\n'));
    }

    private static async Task<int> TotalAsync(HttpClient client, string path) =>
        (await client.GetApiAsync(path + (path.Contains('?') ? "&" : "?") + "per_page=1")).Body.GetProperty("meta").GetProperty("total").GetInt32();

    /// <summary>The standalone test server in a process of its own, on a fresh store or one it was run on before.</summary>
    private sealed partial class Standalone : IAsyncDisposable
    {
        private readonly Process process;

        private Standalone(Process process, Uri baseAddress, string key)
        {
            this.process = process;
            BaseAddress = baseAddress;
            Key = key;
        }

        public Uri BaseAddress { get; }

        public string Key { get; }

        /// <param name="key">The live key printed when <paramref name="store"/> was created, for a store used before.</param>
        public static async Task<Standalone> StartAsync(string storage, string? store = null, string? key = null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { typeof(InterflowTestServer).Assembly.Location, "--port", "0", "--db", store ?? Path.Combine(Path.GetTempPath(), $"interflow-standalone-{Guid.NewGuid():N}.db") },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["INTERFLOW_TEST_STORAGE"] = storage },
            };
            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            Uri? address = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (address is null || key is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("the standalone server exited before it listened");
                if (Listening().Match(line) is { Success: true } listening)
                {
                    address = new Uri(listening.Groups[1].Value);
                }
                if (LiveKey().Match(line) is { Success: true } found)
                {
                    key = found.Value;
                }
            }
            // Keep draining its output so that it never blocks on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new Standalone(process, address, key);
        }

        public HttpClient Client() => new() { BaseAddress = BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", Key) } };

        /// <returns>How long the process took to exit after the signal.</returns>
        public async Task<TimeSpan> SigtermAsync()
        {
            Assert.False(process.HasExited, $"the server exited before the signal, with code {(process.HasExited ? process.ExitCode : 0)}");
            var watch = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            return watch.Elapsed;
        }

        /// <summary>SIGKILL: no drain, no goodbye; what it held is left to the queues' visibility.</summary>
        public async Task KillAsync()
        {
            Assert.False(process.HasExited, "the server exited before it was killed");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }

        [GeneratedRegex(@"listening on (http://[0-9.:]+/)")]
        private static partial Regex Listening();

        [GeneratedRegex(@"ifk_live_[A-Za-z0-9]+")]
        private static partial Regex LiveKey();
    }
}
