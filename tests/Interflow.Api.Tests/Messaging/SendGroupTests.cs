using System.Collections.Concurrent;
using System.Net;
using Interflow.Api.Tests.Bulk;
using Interflow.Core.Accounts;
using Interflow.Core.Customers;
using Interflow.Core.Messages;
using Interflow.Infrastructure.Channels;
using Interflow.Infrastructure.Queues;
using Interflow.Infrastructure.Sqlite;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Messaging;

/// <summary>
/// Concurrent sends of one tenant and channel are written and attempted as blocks: what each caller gets, what the
/// store and the queue saw, and what happens when a block meets a concurrent write or dies half way.
/// </summary>
public sealed class SendGroupTests : IAsyncLifetime
{
    private readonly RecordedBlocks blocks = new();
    private readonly ConcurrentQueue<OutboundWork> checks = new();
    private InterflowTestServer server = null!;
    private CountingProviders providers = null!;
    private HttpClient client = null!;
    private string channel = null!;

    public async Task InitializeAsync()
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.ConfigureServices = services =>
        {
            services.AddSingleton<IRecipientBatchStore>(sp => blocks.Around(ActivatorUtilities.CreateInstance<SqliteRecipientBatchStore>(sp), sp.GetRequiredService<CustomerCommands>()));
            services.AddSingleton<IOutboundQueue>(sp => new RecordingQueue(sp.GetRequiredService<StorageQueues>(), checks));
            services.AddSingleton<IMessageProviders>(sp =>
                providers = new CountingProviders(new MessageProviders(sp.GetRequiredService<SandboxProvider>(), sp.GetRequiredService<WhatsAppCloudProvider>())));
        };
        server = await InterflowTestServer.StartAsync(settings);
        client = server.CreateClient((await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise)).LiveKey);
        channel = await client.CreateSandboxChannelAsync();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_sends_go_out_in_blocks_and_each_caller_gets_its_own_message()
    {
        var phones = Enumerable.Range(0, 10).Select(_ => ApiCalls.UniquePhone()).ToArray();
        var sends = Enumerable.Range(0, 40).Select(i => (To: phones[i % phones.Length], Text: $"envio {i}")).ToArray();

        var responses = await Task.WhenAll(sends.Select(s => client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, s.To, s.Text))));

        for (var i = 0; i < sends.Length; i++)
        {
            Assert.Equal(HttpStatusCode.Created, responses[i].Status);
            Assert.Equal("sent", responses[i].Data.GetProperty("status").GetString());
            Assert.Equal(sends[i].To, responses[i].Data.GetProperty("to").GetString());
            Assert.Equal(sends[i].Text, responses[i].Data.GetProperty("content").GetProperty("text").GetString());
        }
        var ids = responses.Select(r => r.Data.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(40, ids.Distinct().Count());
        // One customer and one open chat per phone, whichever block created them.
        foreach (var group in responses.GroupBy(r => r.Data.GetProperty("to").GetString()))
        {
            Assert.Single(group.Select(r => r.Data.GetProperty("customer_id").GetString()).Distinct());
            Assert.Single(group.Select(r => r.Data.GetProperty("chat_id").GetString()).Distinct());
        }
        Assert.Equal(10, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(10, (await client.GetApiAsync("v1/chats")).Body.GetProperty("meta").GetProperty("total").GetInt32());
        // Fewer writes than sends, every message in exactly one block, one safety check per block naming its messages.
        var written = blocks.Written.ToArray();
        Assert.True(written.Length < 40 && written.Max(b => b.Count) > 1, $"blocks of {string.Join(", ", written.Select(b => b.Count))}");
        Assert.Equal(ids.Order(), written.SelectMany(b => b).Order());
        Assert.Equal(written.Length, checks.Count);
        Assert.Equal(written.Select(b => string.Join(",", b.Order())).Order(), checks.Select(c => string.Join(",", c.MessageIds.Order())).Order());
        Assert.Equal(40, providers.Calls.Count);
    }

    [Fact]
    public async Task Sends_one_after_another_go_alone()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()))).Status);
        }

        Assert.Equal([1, 1, 1], blocks.Written.Select(b => b.Count));
    }

    [Fact]
    public async Task A_bad_send_among_concurrent_ones_gets_its_own_error_and_a_rejected_one_its_own_failure()
    {
        var good = Enumerable.Range(0, 12).Select(_ => MessagingCalls.Text(channel, ApiCalls.UniquePhone())).ToList();
        var calls = good.Select(body => client.PostApiAsync("v1/messages/send", body)).ToList();
        var unknownChannel = client.PostApiAsync("v1/messages/send", MessagingCalls.Text("ch_missing", ApiCalls.UniquePhone()));
        var rejected = client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, "5511987650000"));

        var answers = await Task.WhenAll(calls);

        Assert.All(answers, a => Assert.Equal("sent", a.Data.GetProperty("status").GetString()));
        var missing = await unknownChannel;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Status);
        Assert.Equal(["channel_id"], missing.Details.Select(d => d.Field));
        var failed = await rejected;
        Assert.Equal(HttpStatusCode.Created, failed.Status);
        Assert.Equal("failed", failed.Data.GetProperty("status").GetString());
        Assert.Equal("SANDBOX_REJECTED", failed.Data.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_block_that_meets_a_customer_created_meanwhile_sends_one_by_one_and_creates_nothing_twice()
    {
        var phone = ApiCalls.UniquePhone();
        blocks.CreateCustomerFirst = phone;

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, i % 2 == 0 ? phone : ApiCalls.UniquePhone()))));

        Assert.All(responses, r => Assert.Equal("sent", r.Data.GetProperty("status").GetString()));
        var ofThePhone = responses.Where(r => r.Data.GetProperty("to").GetString() == phone).ToArray();
        Assert.Single(ofThePhone.Select(r => r.Data.GetProperty("customer_id").GetString()).Distinct());
        Assert.Single(ofThePhone.Select(r => r.Data.GetProperty("chat_id").GetString()).Distinct());
        Assert.Equal(4, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(6, providers.Calls.Count);
    }

    [Fact]
    public async Task Messages_of_a_block_that_died_after_its_write_are_sent_once_by_its_safety_check()
    {
        blocks.FailAfterWrite = true;
        var phones = Enumerable.Range(0, 5).Select(_ => ApiCalls.UniquePhone()).ToArray();

        var responses = await Task.WhenAll(phones.Select(p => client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, p))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.InternalServerError, r.Status));
        var ids = blocks.Written.SelectMany(b => b).ToArray();
        Assert.Equal(5, ids.Length);
        foreach (var id in ids)
        {
            // Sent, then delivered and read by the sandbox's reports.
            Assert.Equal("read", (await client.WaitForStatusAsync(id, "read")).GetProperty("status").GetString());
        }
        Assert.Equal(phones.Order(), providers.Calls.Select(c => c.To).Order());
    }

    /// <summary>The SQLite batch writes, recording each block's message ids; told to meet a concurrent write or to die after writing.</summary>
    private sealed class RecordedBlocks
    {
        public ConcurrentQueue<IReadOnlyList<string>> Written { get; } = new();

        public string? CreateCustomerFirst { get; set; }

        public bool FailAfterWrite { get; set; }

        public IRecipientBatchStore Around(IRecipientBatchStore inner, CustomerCommands customers) => new Store(inner, customers, this);

        private sealed class Store(IRecipientBatchStore inner, CustomerCommands customers, RecordedBlocks owner) : IRecipientBatchStore
        {
            public async Task<RecipientBatch> CreateAsync(RecipientBatch batch, CancellationToken cancellationToken)
            {
                if (owner.CreateCustomerFirst is { } phone && batch.NewCustomers.Any(c => c.Phone == phone))
                {
                    owner.CreateCustomerFirst = null;
                    // Another instance's send to the phone, between this block's lookup and its write.
                    await customers.FindOrCreateByPhoneAsync(batch.Tenant, phone, null, cancellationToken);
                }
                var written = await inner.CreateAsync(batch, cancellationToken);
                owner.Written.Enqueue([.. batch.NewMessages.Select(m => m.Id)]);
                return owner.FailAfterWrite ? throw new InvalidOperationException("the instance died after the block's write") : written;
            }
        }
    }

    /// <summary>The outbound queue, recording every work enqueued.</summary>
    private sealed class RecordingQueue(IOutboundQueue inner, ConcurrentQueue<OutboundWork> enqueued) : IOutboundQueue
    {
        public Task EnqueueAsync(OutboundWork work, TimeSpan delay, CancellationToken cancellationToken)
        {
            enqueued.Enqueue(work);
            return inner.EnqueueAsync(work, delay, cancellationToken);
        }
    }
}
