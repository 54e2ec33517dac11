using System.Net;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Bulk;

/// <summary>
/// A chunk's queue message held by a process that died is out of reach until the queue gives it back (10 minutes in
/// the Functions host). A job that stops moving has its open chunks enqueued again, so it completes, once per recipient.
/// </summary>
public sealed class LostChunkTests : IAsyncDisposable
{
    private InterflowTestServer? server;

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_job_whose_chunk_message_was_lost_completes_after_its_stall_with_each_recipient_sent_once()
    {
        const int Recipients = 150; // two chunks
        var lost = new LosingQueue(chunkIndex: 1);
        var settings = InterflowServerFixture.FastSettings();
        settings.Configuration["Interflow:Bulk:StallAfter"] = "00:00:03";
        settings.ConfigureServices = services => services.AddSingleton<IBulkQueue>(sp => lost.Around(sp.GetRequiredService<StorageQueues>()));
        server = await InterflowTestServer.StartAsync(settings);
        var client = server.CreateClient((await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise)).LiveKey);
        var channelId = (await client.PostApiAsync("v1/channels", new { name = "Bulk", kind = "sandbox", messages_per_second = 1000 })).Data.GetProperty("id").GetString();
        var recipients = Enumerable.Range(0, Recipients).Select(_ => new { to = ApiCalls.UniquePhone() }).ToArray();

        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channelId, type = "text", content = new { text = "Oi" }, recipients });
        Assert.Equal(HttpStatusCode.Accepted, submitted.Status);
        var jobId = submitted.Data.GetProperty("id").GetString()!;
        // The second chunk's message is gone: only the stall check (3 s without a chunk settled) brings it back.
        var job = await Eventually.MatchAsync(async () => (await client.GetApiAsync($"v1/messages/bulk/{jobId}")).Data,
            j => j.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30));
        var messages = await BulkRecount.MessagesAsync(client, jobId, Recipients);

        Assert.Equal(1, lost.Lost);
        Assert.Equal((Recipients, 0, 0, 0), BulkRecount.Counts(job));
        Assert.Equal(BulkRecount.Count(messages), BulkRecount.Counts(job));
        Assert.Equal(recipients.Select(r => r.to).Order(), messages.Select(m => m!.Value.GetProperty("to").GetString()).Order());
    }

    /// <summary>The bulk queue with the first message for one chunk lost, as if a process that died held it.</summary>
    private sealed class LosingQueue(int chunkIndex)
    {
        private int lost;

        public int ChunkIndex => chunkIndex;

        public int Lost => Volatile.Read(ref lost);

        public IBulkQueue Around(IBulkQueue inner) => new Queue(inner, this);

        private sealed class Queue(IBulkQueue inner, LosingQueue owner) : IBulkQueue
        {
            public Task EnqueueAsync(BulkChunkWork work, TimeSpan delay, CancellationToken cancellationToken) =>
                work.Index == owner.ChunkIndex && Interlocked.CompareExchange(ref owner.lost, 1, 0) == 0
                    ? Task.CompletedTask
                    : inner.EnqueueAsync(work, delay, cancellationToken);
        }
    }
}
