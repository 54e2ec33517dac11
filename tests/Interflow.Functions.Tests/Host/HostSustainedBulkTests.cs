using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Interflow.Infrastructure.Queues;
using Xunit.Abstractions;
using static Interflow.Functions.Tests.Host.HostCalls;

namespace Interflow.Functions.Tests.Host;

/// <summary>
/// Sustained load in the real runtime, with receivers that are down: three consecutive 10,000-recipient jobs on a
/// 1,000/s sandbox channel, one live webhook receiver and two refusing connections, all subscribed to every event.
/// Each job must complete with every recipient sent once, every event reach the live receiver, and every queue drain
/// (the dead endpoints' probes aside). How fast is the benchmark's question (<c>bulk 10000 3 1000 2</c>); the times are
/// printed here only to read beside it. Minutes long, and run alone so that other tests neither slow it nor are slowed.
/// </summary>
[Collection(HostAloneCollection.Name)]
public sealed class HostSustainedBulkTests(ITestOutputHelper output)
{
    private const int Recipients = 10_000;
    private const int Jobs = 3;
    private const int Dead = 2;

    // Every recipient: customer.created, chat.created, message.sent, .delivered, .read; and the job's bulk.completed.
    private const int EventsPerJob = 5 * Recipients + 1;

    [SkippableFact]
    public async Task Three_consecutive_jobs_with_dead_receivers_each_complete_once_per_recipient_with_every_event_delivered_and_the_queues_drained()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostSettings { Storage = azurite.ConnectionString });
        using var client = host.CreateClient(host.LiveKey ?? throw new InvalidOperationException("the host printed no bootstrap key"));
        var queues = new StorageQueues(azurite.ConnectionString, null, "");
        var channelId = (await DataAsync(client.PostAsJsonAsync("v1/channels", new { name = "Loja", kind = "sandbox", messages_per_second = 1000 }), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        await DataAsync(client.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "*" } }), HttpStatusCode.Created);
        for (var i = 0; i < Dead; i++)
        {
            await DataAsync(client.PostAsJsonAsync("v1/webhooks", new { url = $"http://127.0.0.1:{LoopbackPorts.Free()}/x", events = new[] { "*" } }), HttpStatusCode.Created);
        }

        for (var job = 0; job < Jobs; job++)
        {
            var recipients = Enumerable.Range(0, Recipients).Select(i => new { to = BulkNumbers.Of(job, i) });
            var watch = Stopwatch.StartNew();
            var jobId = (await DataAsync(client.PostAsJsonAsync("v1/messages/bulk", new { channel_id = channelId, type = "text", content = new { text = "Oi" }, recipients }), HttpStatusCode.Accepted))
                .GetProperty("id").GetString();
            var done = await Eventually.MatchAsync(() => DataAsync(client.GetAsync($"v1/messages/bulk/{jobId}"), HttpStatusCode.OK),
                j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(5));
            var completed = watch.Elapsed;
            var expectedEvents = (job + 1) * EventsPerJob;
            var events = await Eventually.MatchAsync(() => Task.FromResult(receiver.Succeeded.Select(r => r.Id).Distinct().Count()), n => n >= expectedEvents, TimeSpan.FromMinutes(5));
            var drained = await Eventually.MatchAsync(() => QueueBacklog.WithinAsync(queues, QueueBacklog.DeadEndpointProbes(Dead)), d => d, TimeSpan.FromMinutes(5));
            output.WriteLine($"job {job + 1}: completed in {completed.TotalSeconds:F1} s ({Recipients / completed.TotalSeconds:F0} msg/s), " +
                $"every event delivered and the queues drained in {watch.Elapsed.TotalSeconds:F1} s; {receiver.Received.Count} requests to the live receiver so far");

            Assert.True(done.GetProperty("status").GetString() == "completed", $"job {job + 1} not completed: {done}\n{host.LogTail()}");
            Assert.Equal(Recipients, done.GetProperty("sent").GetInt32());
            Assert.Equal(0, done.GetProperty("queued").GetInt32());
            Assert.Equal(0, done.GetProperty("failed").GetInt32());
            Assert.Equal(expectedEvents, events);
            Assert.True(drained, $"job {job + 1}: queues not drained 5 minutes after every event was delivered");
        }
        Assert.Equal(Jobs * Recipients, await TotalAsync(client, "v1/customers"));
        Assert.Equal(Jobs * Recipients, await TotalAsync(client, "v1/chats?status=open"));
        // A failed execution is retried by the host (every handler is idempotent): reported, not a failure of the test.
        var failed = host.Log.Where(line => line.Contains("(Failed,", StringComparison.Ordinal)).GroupBy(line => line.Split('\'')[1]).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"failed executions (retried): {string.Join(", ", failed.DefaultIfEmpty("none"))}");
    }
}

/// <summary>Host tests heavy enough to run after the parallel classes, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostAloneCollection
{
    public const string Name = "Functions host, alone";
}
