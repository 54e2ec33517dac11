using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Xunit.Abstractions;
using static Interflow.Functions.Tests.Host.HostCalls;

namespace Interflow.Functions.Tests.Host;

/// <summary>
/// A crash in the real runtime: host and worker SIGKILLed in the middle of a bulk job, then started again on the same
/// store, Azurite and state. What the dead host held comes back on its own: queue messages when the host's receive
/// visibility (10 minutes) lapses, chunks sooner through the job's stall check, the orchestration through the Durable
/// Task hub's leases. Slow by nature (minutes), and so the only test of its kind.
/// </summary>
public sealed class HostCrashTests(ITestOutputHelper output)
{
    private const int Recipients = 3_000;

    [SkippableFact]
    public async Task Killed_mid_job_and_started_again_the_job_completes_once_per_recipient_and_every_message_sent_is_delivered()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new FunctionsHostSettings { Storage = azurite.ConnectionString };
        string key;
        string jobId;
        int sentAtKill;
        string? statusAtKill;
        await using (var first = await FunctionsHost.StartAsync(settings))
        {
            key = first.LiveKey ?? throw new InvalidOperationException("the host printed no bootstrap key");
            using var client = first.CreateClient(key);
            await DataAsync(client.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "message.sent" } }), HttpStatusCode.Created);
            // 300 a second: the 3,000 take 10 s, and the kill lands once a tenth were sent.
            var channelId = (await DataAsync(client.PostAsJsonAsync("v1/channels", new { name = "Loja", kind = "sandbox", messages_per_second = 300 }), HttpStatusCode.Created)).GetProperty("id").GetString();
            var recipients = Enumerable.Range(0, Recipients).Select(i => new { to = $"5511987{i:D4}23" });
            var job = await DataAsync(client.PostAsJsonAsync("v1/messages/bulk", new { channel_id = channelId, type = "text", content = new { text = "Oi" }, recipients }), HttpStatusCode.Accepted);
            jobId = job.GetProperty("id").GetString()!;
            // Sends are seen by their message.sent events (the job's own counts move only as chunks settle).
            await Eventually.MatchAsync(() => Task.FromResult(receiver.Succeeded.Count()), c => c >= Recipients / 10, TimeSpan.FromSeconds(60));
            statusAtKill = (await DataAsync(client.GetAsync($"v1/messages/bulk/{jobId}"), HttpStatusCode.OK)).GetProperty("status").GetString();
            sentAtKill = receiver.Succeeded.Count();
            await first.KillAsync();
        }

        var watch = Stopwatch.StartNew();
        await using var again = await FunctionsHost.StartAsync(settings);
        using var after = again.CreateClient(key);
        var done = await Eventually.MatchAsync(() => DataAsync(after.GetAsync($"v1/messages/bulk/{jobId}"), HttpStatusCode.OK),
            j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(15));
        var completedIn = watch.Elapsed;
        var sentEvents = await Eventually.MatchAsync(
            () => Task.FromResult(receiver.Succeeded.Select(r => r.Json.GetProperty("data").GetProperty("id").GetString()).ToHashSet()),
            ids => ids.Count >= Recipients, TimeSpan.FromMinutes(15));

        output.WriteLine($"killed with {sentAtKill} of {Recipients} message.sent delivered and the job {statusAtKill}; after the restart the job completed in {completedIn.TotalSeconds:F0} s " +
            $"and every message.sent was delivered in {watch.Elapsed.TotalSeconds:F0} s ({receiver.Succeeded.Count()} deliveries for {sentEvents.Count} messages)");
        Assert.InRange(sentAtKill, Recipients / 10, Recipients - 1);
        Assert.NotEqual("completed", statusAtKill);
        Assert.Equal(Recipients, done.GetProperty("sent").GetInt32());
        Assert.Equal(0, done.GetProperty("queued").GetInt32());
        Assert.Equal(Recipients, await TotalAsync(after, "v1/customers"));
        Assert.Equal(Recipients, await TotalAsync(after, "v1/chats?status=open"));
        Assert.Equal(Recipients, sentEvents.Count);
    }
}
