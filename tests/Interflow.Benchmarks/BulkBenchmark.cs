using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Benchmarks;

/// <summary>
/// Sustained bulk load: consecutive jobs of the same size on one Azurite and one server, each to new numbers (new
/// customers and chats), with one webhook endpoint subscribed to every event on a local receiver answering 200. For
/// each job: the time to <c>completed</c>; the time to quiescence (every recipient read, every event delivered,
/// every queue empty, delayed messages included); messages per second; queue messages per recipient; and the peak
/// working set. The raw Azurite rate (one enqueue and one receive-and-delete, 16 at a time) is measured in the same run.
/// </summary>
public static class BulkBenchmark
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(10);

    /// <param name="messagesPerSecond">The channel's pacing; 0 for none (a channel stored without it: the API caps
    /// channels at 1,000/s, WhatsApp's highest tier), to measure the system's own capacity.</param>
    public static async Task RunAsync(int recipients, int jobs, int messagesPerSecond)
    {
        var rawRate = await AzuriteRoundTripsPerSecondAsync(5_000);
        var delivered = 0L;
        var receiver = LoopbackHost.Create();
        receiver.MapPost("/hooks", (HttpContext _) =>
        {
            Interlocked.Increment(ref delivered);
            return Results.Ok();
        });
        var receiverUrl = await LoopbackHost.StartAsync(receiver) + "/hooks";
        var settings = new TestServerSettings { CheckResponses = false };
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
        await using var server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);
        string channel;
        if (messagesPerSecond > 0)
        {
            channel = (await Data(client.PostAsJsonAsync("v1/channels", new { name = "Bench", kind = "sandbox", messages_per_second = messagesPerSecond }))).GetProperty("id").GetString()!;
        }
        else
        {
            var unpaced = new Channel(Ids.New("ch"), new Tenant(account.Id, ApiEnvironment.Live), ChannelKind.Sandbox, "Unpaced", null, int.MaxValue, DateTimeOffset.UtcNow);
            await server.Services.GetRequiredService<IChannelStore>().CreateAsync(unpaced, default);
            channel = unpaced.Id;
        }
        await Data(client.PostAsJsonAsync("v1/webhooks", new { url = receiverUrl, events = new[] { "*" } }));
        var queues = server.Services.GetRequiredService<StorageQueues>();

        Console.WriteLine($"""

            Sustained bulk sends: {jobs} consecutive jobs of {recipients:N0} recipients on one Azurite, a sandbox channel paced at
            {(messagesPerSecond > 0 ? $"{messagesPerSecond:N0}/s" : "no limit")} (delivered and read reported), SQLite store, a webhook endpoint subscribed to every event, {Environment.ProcessorCount} cores.
            Azurite raw rate in this run: {rawRate:N0} enqueue + receive/delete round trips/s (16-way).

            job  completed (s)  msg/s  vs raw   quiescent (s)  quiescent/completed  queue msgs/recipient  peak working set
            """);
        double? first = null;
        for (var job = 0; job < jobs; job++)
        {
            var completed = await RunJobAsync($"{job + 1,3}", channel, job);
            first ??= completed;
            if (completed > first * 1.2)
            {
                Console.WriteLine($"     job {job + 1} took {completed / first - 1:P0} longer than the first");
            }
        }
        await receiver.DisposeAsync();

        async Task<double> RunJobAsync(string label, string channelId, int job)
        {
            var numbers = Enumerable.Range(0, recipients).Select(i => Number(job, i));
            var body = new { channel_id = channelId, type = "text", content = new { text = "Olá {{1}}!" }, recipients = numbers.Select((to, i) => new { to, variables = new[] { $"Cliente {i}" } }) };
            var sentBefore = queues.MessagesSent();
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
            while ((Interlocked.Read(ref delivered) - deliveredBefore < expectedEvents || !await QueuesEmptyAsync(queues)) && clock.Elapsed < GiveUp)
            {
                // Looking is cheap but not free: the emulator serves these calls too.
                await Task.Delay(250);
            }
            var quiescent = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            var sent = state.GetProperty("sent").GetInt32();
            var events = Interlocked.Read(ref delivered) - deliveredBefore;
            Console.WriteLine(
                $"{label}  {completed,13:0.0}  {sent / completed,5:N0}  {sent / completed / rawRate,5:0.00}x   {quiescent,13:0.0}  {quiescent / completed,19:0.00}x  {(queues.MessagesSent() - sentBefore) / (double)recipients,20:0.000}  {peak / 1024 / 1024,12:N0} MiB" +
                (sent == recipients ? "" : $"   (sent {sent}, status {state.GetProperty("status").GetString()})") +
                (events == expectedEvents ? "" : $"   ({events} of {expectedEvents} events delivered)"));
            return completed;
        }
    }

    /// <summary>Distinct real numbers per job and recipient, none a sandbox test number (ending 0000 or 0001).</summary>
    private static string Number(int job, int i) => $"55{11 + job}9{7 + i / 10_000 % 3}{i % 10_000:D4}2{i % 100:D2}";

    private static async Task<bool> QueuesEmptyAsync(StorageQueues queues)
    {
        foreach (var name in QueueNames.All)
        {
            // The approximate count includes invisible (delayed, in-flight) messages: empty means nothing left to do.
            if ((await queues.Queue(name).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<JsonElement> Data(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? body.GetProperty("data") : throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
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
