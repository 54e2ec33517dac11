using System.Net;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Events;
using Interflow.Infrastructure.Channels;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Bulk;

/// <summary>
/// Pacing is measured at the provider, second by second: a machine busy with the other test classes delays a block
/// granted at the end of one second into the next. So these run alone, after the parallel classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Paced
{
    public const string Name = "Paced by the second";
}

[Collection(Paced.Name)]
public sealed class BulkSendTests : IAsyncLifetime
{
    private InterflowTestServer server = null!;
    private CountingProviders providers = null!;
    private HttpClient client = null!;
    private TestAccount account = null!;

    public async Task InitializeAsync()
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.ConfigureServices = services => services.AddSingleton<Core.Messages.IMessageProviders>(sp =>
            providers = new CountingProviders(new MessageProviders(sp.GetRequiredService<SandboxProvider>(), sp.GetRequiredService<WhatsAppCloudProvider>())));
        server = await InterflowTestServer.StartAsync(settings);
        account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        client = server.CreateClient(account.LiveKey);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    /// <summary>Distinct real numbers; ending in 0001 they stay "sent" in the sandbox (no status reports to wait for).</summary>
    private static readonly int[] AreaCodes = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21];

    private static string Number(int i, string ending = "0001") => $"55{AreaCodes[i / 1000]}9{8 + i / 1000 % 2}{i % 1000:D3}{ending}";

    private async Task<string> ChannelAsync(int messagesPerSecond) =>
        (await client.PostApiAsync("v1/channels", new { name = "Bulk", kind = "sandbox", messages_per_second = messagesPerSecond })).Data.GetProperty("id").GetString()!;

    private async Task<JsonElement> SettledAsync(string id, TimeSpan timeout) =>
        await Eventually.MatchAsync(async () => (await client.GetApiAsync($"v1/messages/bulk/{id}")).Data,
            job => job.GetProperty("status").GetString() is "completed" or "cancelled", timeout);

    private static void AssertCountsAddUp(JsonElement job) =>
        Assert.Equal(job.GetProperty("total").GetInt32(),
            job.GetProperty("queued").GetInt32() + job.GetProperty("sent").GetInt32() + job.GetProperty("failed").GetInt32() + job.GetProperty("cancelled").GetInt32());

    [Fact]
    public async Task Ten_thousand_recipients_complete_with_exactly_ten_thousand_provider_calls()
    {
        var channel = await ChannelAsync(1000);
        var recipients = Enumerable.Range(0, 10_000).Select(i => new { to = Number(i), variables = new[] { $"Cliente {i}" } }).ToArray();

        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "Olá {{1}}!" }, recipients });
        var job = await SettledAsync(submitted.Data.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));

        Assert.Equal(HttpStatusCode.Accepted, submitted.Status);
        Assert.StartsWith("bulk_", submitted.Data.GetProperty("id").GetString());
        Assert.Equal(10_000, submitted.Data.GetProperty("total").GetInt32());
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(10_000, job.GetProperty("sent").GetInt32());
        AssertCountsAddUp(job);
        Assert.Equal(10_000, providers.Calls.Count);
        Assert.Equal(10_000, providers.Calls.Select(c => c.To).Distinct().Count());
        var sample = await client.GetApiAsync($"v1/customers?phone={Number(1234)}");
        var chat = (await client.GetApiAsync($"v1/chats?customer_id={sample.Data[0].GetProperty("id").GetString()}")).Data[0];
        var message = (await client.GetApiAsync($"v1/chats/{chat.GetProperty("id").GetString()}/messages")).Data[0];
        Assert.Equal("Olá Cliente 1234!", message.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Failing_numbers_are_reported_as_failed_and_completion_is_announced_once()
    {
        var channel = await ChannelAsync(500);
        var messages = Enumerable.Range(0, 150).Select(i => new { to = Number(i, i % 5 == 0 ? "0000" : "0001"), type = "text", content = new { text = $"#{i}" } });

        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, messages });
        var id = submitted.Data.GetProperty("id").GetString()!;
        var job = await SettledAsync(id, TimeSpan.FromMinutes(1));

        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal((120, 30), (job.GetProperty("sent").GetInt32(), job.GetProperty("failed").GetInt32()));
        AssertCountsAddUp(job);
        var log = server.Services.GetRequiredService<IEventLog>();
        var completed = (await log.ListAsync(new Tenant(account.Id, ApiEnvironment.Live), 10_000, default)).Where(e => e.Type == "bulk.completed").ToArray();
        Assert.Equal(id, Assert.Single(completed).Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Cancel_mid_way_stops_the_rest_and_the_counts_add_up()
    {
        var channel = await ChannelAsync(40);
        var recipients = Enumerable.Range(0, 400).Select(i => new { to = Number(i) });
        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "promo" }, recipients });
        var id = submitted.Data.GetProperty("id").GetString()!;
        await Eventually.MatchAsync(() => Task.FromResult(providers.Calls.Count), n => n >= 40);

        var cancelling = await client.PostApiAsync($"v1/messages/bulk/{id}/cancel", null);
        var job = await SettledAsync(id, TimeSpan.FromMinutes(1));
        var callsAtEnd = providers.Calls.Count;
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.True(cancelling.Data.GetProperty("cancel_requested").GetBoolean());
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        AssertCountsAddUp(job);
        Assert.InRange(job.GetProperty("cancelled").GetInt32(), 100, 360);
        Assert.Equal(job.GetProperty("sent").GetInt32(), callsAtEnd);
        Assert.Equal(callsAtEnd, providers.Calls.Count);
    }

    [Fact]
    public async Task A_chunk_handled_twice_sends_nothing_twice()
    {
        var channel = await ChannelAsync(1000);
        var recipients = Enumerable.Range(0, 250).Select(i => new { to = Number(i) });
        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "x" }, recipients });
        var id = submitted.Data.GetProperty("id").GetString()!;
        await SettledAsync(id, TimeSpan.FromMinutes(1));
        var tenant = new Tenant(account.Id, ApiEnvironment.Live);
        var store = server.Services.GetRequiredService<IBulkStore>();
        var bulk = server.Services.GetRequiredService<BulkSends>();

        // A redelivered queue message for a chunk, and two consumers of it at once.
        var chunk = (await store.GetChunkAsync(tenant, id, 1, default))!;
        await store.ReplaceChunkAsync(tenant, chunk with { Done = false }, chunk.ETag, default);
        var work = new BulkChunkWork(account.Id, "live", id, 1);
        await Task.WhenAll(bulk.ProcessChunkAsync(work, default), bulk.ProcessChunkAsync(work, default));
        await server.Services.GetRequiredService<StorageQueues>().EnqueueAsync(work, TimeSpan.Zero, default);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(250, providers.Calls.Count);
        var again = (await store.GetChunkAsync(tenant, id, 1, default))!;
        Assert.True(again.Done);
        Assert.Equal(100, again.Sent);
    }

    [Fact]
    public async Task Pacing_holds_the_channel_rate_within_ten_percent()
    {
        const int rate = 50;
        var channel = await ChannelAsync(rate);
        var recipients = Enumerable.Range(0, 300).Select(i => new { to = Number(i) });

        var submitted = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "x" }, recipients });
        await SettledAsync(submitted.Data.GetProperty("id").GetString()!, TimeSpan.FromMinutes(1));

        var perSecond = providers.Calls.GroupBy(c => c.At.ToUnixTimeSeconds()).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.All(perSecond, n => Assert.True(n <= rate * 1.1, $"{n} calls in one second at {rate}/s"));
        var interior = perSecond[1..^1];
        Assert.InRange(interior.Average(), rate * 0.9, rate * 1.1);
    }

    [Fact]
    public async Task Every_bad_recipient_is_reported_with_its_index_and_nothing_is_stored()
    {
        var channel = await ChannelAsync(100);

        var shared = await client.PostApiAsync("v1/messages/bulk", $$"""
            {"channel_id":"{{channel}}","type":"template","content":{"name":"promo","language":"pt_BR"},
             "recipients":[{"to":"{{Number(0)}}"},{"to":"123"},{"to":"{{Number(2)}}","variables":[7]},{"phone":"x"}]}
            """);
        var individual = await client.PostApiAsync("v1/messages/bulk", $$"""
            {"channel_id":"{{channel}}","messages":[{"to":"{{Number(0)}}","type":"text","content":{"text":"ok"} },{"to":"{{Number(1)}}","type":"text","content":{} },{"to":"{{Number(2)}}","type":"fax","content":{} } ] }
            """);
        var neither = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel });
        var tooMany = await client.PostApiAsync("v1/messages/bulk", new { channel_id = channel, type = "text", content = new { text = "x" }, recipients = Enumerable.Range(0, 10_001).Select(i => new { to = "5511987654321" }) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, shared.Status);
        Assert.Equal(["recipients[1].to", "recipients[2].variables[0]", "recipients[3].to", "recipients[3].phone"], shared.Details.Select(d => d.Field));
        Assert.Equal(["messages[1].content.text", "messages[2].type"], individual.Details.Select(d => d.Field));
        Assert.Equal(["recipients"], neither.Details.Select(d => d.Field));
        Assert.Equal(["recipients"], tooMany.Details.Select(d => d.Field));
        Assert.Empty(providers.Calls);
    }
}
