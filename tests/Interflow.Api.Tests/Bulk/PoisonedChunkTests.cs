using System.Net;
using Interflow.Core.Accounts;
using Interflow.Core.RateLimiting;
using Interflow.Infrastructure.Sqlite;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Bulk;

/// <summary>
/// A chunk whose every try fails goes to <c>bulk-chunks-poison</c> after the host's tries; it is not left there: a
/// later pass retries it, and after the last its recipients end failed with the reason, so the job always settles.
/// </summary>
public sealed class PoisonedChunkTests : IAsyncDisposable
{
    private const int Recipients = 150; // two chunks
    private readonly FailingPace pace = new();
    private InterflowTestServer? server;

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task<(HttpClient Client, string JobId)> StartJobAsync(string poisonPasses)
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.Configuration["Interflow:Queues:PoisonPasses"] = poisonPasses;
        // The chunk's pacing store fails: only a chunk's processing uses it, so the final answer does not.
        settings.ConfigureServices = services => services.AddSingleton<IRateLimitStore>(sp => pace.Around(ActivatorUtilities.CreateInstance<SqliteRateLimitStore>(sp)));
        server = await InterflowTestServer.StartAsync(settings);
        var client = server.CreateClient((await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise)).LiveKey);
        var channelId = (await client.PostApiAsync("v1/channels", new { name = "Bulk", kind = "sandbox", messages_per_second = 1000 })).Data.GetProperty("id").GetString();
        var recipients = Enumerable.Range(0, Recipients).Select(_ => new { to = ApiCalls.UniquePhone() });
        var job = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channelId, type = "text", content = new { text = "Oi" }, recipients });
        Assert.Equal(HttpStatusCode.Accepted, job.Status);
        return (client, job.Data.GetProperty("id").GetString()!);
    }

    private static Task<System.Text.Json.JsonElement> CompletedAsync(HttpClient client, string jobId) =>
        Eventually.MatchAsync(async () => (await client.GetApiAsync($"v1/messages/bulk/{jobId}")).Data,
            j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_chunk_poisoned_while_its_store_was_down_is_sent_by_a_later_pass_once_the_store_is_back()
    {
        pace.Failing = true;
        var (client, jobId) = await StartJobAsync(poisonPasses: "00:00:03");
        // Every host try of both chunks failed: both are in the poison queue, waiting for their later pass.
        await Eventually.MatchAsync(() => Task.FromResult(pace.Failures), f => f >= 2 * QueuePump.MaxDequeueCount, TimeSpan.FromSeconds(30));
        pace.Failing = false;

        var job = await CompletedAsync(client, jobId);
        var messages = await BulkRecount.MessagesAsync(client, jobId, Recipients);

        Assert.Equal((Recipients, 0, 0, 0), BulkRecount.Counts(job));
        Assert.Equal(BulkRecount.Count(messages), BulkRecount.Counts(job));
    }

    [Fact]
    public async Task A_chunk_that_fails_on_every_pass_ends_with_its_recipients_failed_saying_why_and_the_job_completes()
    {
        pace.Failing = true;
        var (client, jobId) = await StartJobAsync(poisonPasses: "00:00:01");

        var job = await CompletedAsync(client, jobId);
        var messages = await BulkRecount.MessagesAsync(client, jobId, Recipients);

        // The host's tries, then one later pass of them, for each chunk: then the final answer.
        Assert.Equal(2 * 2 * QueuePump.MaxDequeueCount, pace.Failures);
        Assert.Equal((0, Recipients, 0, 0), BulkRecount.Counts(job));
        Assert.Equal(BulkRecount.Count(messages), BulkRecount.Counts(job));
        Assert.All(messages, m =>
        {
            Assert.Equal("BULK_CHUNK_ABANDONED", m!.Value.GetProperty("error").GetProperty("code").GetString());
            Assert.Contains("abandoned after repeated processing failures", m.Value.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        });
    }

    /// <summary>The rate-limit store with the channel pacer's counters made to fail on demand.</summary>
    private sealed class FailingPace
    {
        private int failures;

        public volatile bool Failing;

        public int Failures => Volatile.Read(ref failures);

        public IRateLimitStore Around(IRateLimitStore inner) => new Store(inner, this);

        private sealed class Store(IRateLimitStore inner, FailingPace owner) : IRateLimitStore
        {
            public Task<long> IncrementAsync(string counterId, long amount, DateTimeOffset expiresAt, CancellationToken cancellationToken)
            {
                if (owner.Failing && counterId.StartsWith("pace:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref owner.failures);
                    throw new InvalidOperationException("the pacing store is unavailable (a test's fault)");
                }
                return inner.IncrementAsync(counterId, amount, expiresAt, cancellationToken);
            }
        }
    }
}
