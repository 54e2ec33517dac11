using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Interflow.Core.Accounts;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Benchmarks;

/// <summary>
/// A 10,000-recipient bulk job through Azurite and the sandbox provider, end to end (submit until the job reports
/// completed), next to the raw Azurite rate of one enqueue plus one receive-and-delete measured in the same run.
/// </summary>
public static class BulkBenchmark
{
    private static readonly int[] AreaCodes = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21];

    public static async Task RunAsync(int recipients)
    {
        var rawRate = await AzuriteRoundTripsPerSecondAsync(5_000);

        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings());
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);
        var channel = await (await client.PostAsJsonAsync("v1/channels", new { name = "Bench", kind = "sandbox", messages_per_second = 1000 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        // Numbers ending in 0001 stay "sent" in the sandbox: the run measures sending, not simulated delivery reports.
        var list = Enumerable.Range(0, recipients).Select(i => new { to = $"55{AreaCodes[i / 1000 % 10]}9{8 + i / 10_000 % 2}{i % 1000:D3}0001", variables = new[] { $"Cliente {i}" } });
        var body = new { channel_id = channel.GetProperty("data").GetProperty("id").GetString(), type = "text", content = new { text = "Olá {{1}}!" }, recipients = list };

        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
                await Task.Delay(100).ConfigureAwait(false);
            }
        });
        var clock = Stopwatch.StartNew();
        var submitted = await (await client.PostAsJsonAsync("v1/messages/bulk", body)).Content.ReadFromJsonAsync<JsonElement>();
        var id = submitted.GetProperty("data").GetProperty("id").GetString();
        JsonElement job;
        do
        {
            await Task.Delay(100);
            job = (await client.GetFromJsonAsync<JsonElement>($"v1/messages/bulk/{id}")).GetProperty("data");
        }
        while (job.GetProperty("status").GetString() is not ("completed" or "cancelled") && clock.Elapsed < TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;

        var sent = job.GetProperty("sent").GetInt32();
        Console.WriteLine($"""

            Bulk send, {recipients:N0} recipients, sandbox provider, SQLite store, Azurite queues, {Environment.ProcessorCount} cores
              job:                      {job.GetProperty("status").GetString()}, sent {sent:N0}, failed {job.GetProperty("failed").GetInt32():N0}, queued {job.GetProperty("queued").GetInt32():N0}
              end to end:               {elapsed:0.0} s, {sent / elapsed:N0} messages/s
              Azurite raw (same run):   {rawRate:N0} enqueue + receive/delete round trips/s (16-way)
              ratio:                    {sent / elapsed / rawRate:0.00}x the raw queue round-trip rate
              peak working set:         {peak / 1024 / 1024:N0} MiB
            """);
    }

    /// <summary>One message sent, received and deleted, 16 at a time: the emulator's own ceiling for one queued unit of work.</summary>
    private static async Task<double> AzuriteRoundTripsPerSecondAsync(int count)
    {
        var storage = Environment.GetEnvironmentVariable("INTERFLOW_TEST_STORAGE") ?? "UseDevelopmentStorage=true";
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
