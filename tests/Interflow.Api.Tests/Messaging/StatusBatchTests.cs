using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Core.Paging;
using Interflow.Infrastructure.Queues;
using Interflow.Infrastructure.Sqlite;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Messaging;

/// <summary>A WhatsApp POST's status reports travel as one queue message and cost one write per message, whatever their number.</summary>
public sealed class StatusBatchTests : IAsyncLifetime
{
    private const string AppSecret = "status-batch-secret";
    private GraphApiStub graph = null!;
    private InterflowTestServer server = null!;
    private CountingMessageStore store = null!;
    private HttpClient client = null!;
    private HttpClient meta = null!;
    private TestAccount account = null!;
    private string channel = "";

    public async Task InitializeAsync()
    {
        graph = await GraphApiStub.StartAsync();
        var settings = InterflowServerFixture.FastSettings();
        settings.Configuration["Interflow:WhatsApp:GraphBaseUrl"] = graph.BaseAddress.ToString();
        settings.ConfigureServices = services => services.AddSingleton<IMessageStore>(sp =>
            store = new CountingMessageStore(new SqliteMessageStore(sp.GetRequiredService<SqliteDatabase>())));
        server = await InterflowTestServer.StartAsync(settings);
        account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        client = server.CreateClient(account.LiveKey);
        meta = server.CreateClient();
        channel = (await client.PostApiAsync("v1/channels", new
        {
            name = "Loja",
            kind = "whatsapp_cloud",
            whatsapp = new { phone_number_id = "1065", access_token = "token", app_secret = AppSecret, verify_token = "verify" },
        })).Data.GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        meta.Dispose();
        await server.DisposeAsync();
        await graph.DisposeAsync();
    }

    [Fact]
    public async Task Delivered_and_read_of_several_messages_in_one_post_are_one_queue_message_and_one_write_per_message()
    {
        var sent = new List<(string Id, string Wamid)>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
            sent.Add((response.Data.GetProperty("id").GetString()!, $"wamid.{graph.Succeeded}"));
        }
        var queues = server.Services.GetRequiredService<StorageQueues>();
        var queued = queues.MessagesSent(QueueNames.ProviderStatuses);
        var writes = sent.ToDictionary(s => s.Id, s => store.Writes(s.Id));
        var statuses = string.Join(",", sent.SelectMany(s => new[]
        {
            $$"""{"id":"{{s.Wamid}}","status":"read","timestamp":"1732400300","recipient_id":"5511"}""",
            $$"""{"id":"{{s.Wamid}}","status":"delivered","timestamp":"1732400200","recipient_id":"5511"}""",
        }));
        var body = $$$$"""{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","statuses":[{{{{statuses}}}}]}}]}]}""";

        var posted = await meta.PostApiAsync($"hooks/whatsapp/{channel}", body, r => r.Headers.Add("X-Hub-Signature-256",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), Encoding.UTF8.GetBytes(body)))));
        foreach (var (id, _) in sent)
        {
            await client.WaitForStatusAsync(id, "read");
        }
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal(6, posted.Data.GetProperty("statuses").GetInt32());
        Assert.Equal(1, queues.MessagesSent(QueueNames.ProviderStatuses) - queued);
        Assert.All(sent, s => Assert.Equal(1, store.Writes(s.Id) - writes[s.Id]));
        var events = await server.Services.GetRequiredService<IEventLog>().ListAsync(new Tenant(account.Id, ApiEnvironment.Live), 1000, default);
        Assert.All(sent, s =>
        {
            Assert.Single(events, e => e.Type == EventTypes.MessageDelivered && e.Data.GetProperty("id").GetString() == s.Id);
            Assert.Single(events, e => e.Type == EventTypes.MessageRead && e.Data.GetProperty("id").GetString() == s.Id);
        });
    }
}

/// <summary>The SQLite message store, counting the writes each message gets.</summary>
public sealed class CountingMessageStore(IMessageStore inner) : IMessageStore
{
    private readonly ConcurrentDictionary<string, int> counts = new();

    public int Writes(string id) => counts.GetValueOrDefault(id);

    public Task<Message> CreateAsync(Message message, CancellationToken cancellationToken) => inner.CreateAsync(message, cancellationToken);

    public Task<Message?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) => inner.GetAsync(tenant, id, cancellationToken);

    public async Task<Message> ReplaceAsync(Message message, string expectedETag, CancellationToken cancellationToken)
    {
        var saved = await inner.ReplaceAsync(message, expectedETag, cancellationToken);
        counts.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        return saved;
    }

    public async Task<IReadOnlyList<Message?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<Message>> writes, CancellationToken cancellationToken)
    {
        var saved = await inner.ReplaceManyAsync(writes, cancellationToken);
        foreach (var message in saved.OfType<Message>())
        {
            counts.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        }
        return saved;
    }

    public Task<Message?> FindByProviderIdAsync(Tenant tenant, string channelId, string providerMessageId, CancellationToken cancellationToken) =>
        inner.FindByProviderIdAsync(tenant, channelId, providerMessageId, cancellationToken);

    public Task<IReadOnlyList<Message>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        inner.GetManyAsync(tenant, ids, cancellationToken);

    public Task<IReadOnlyList<Message>> FindByProviderIdsAsync(Tenant tenant, string channelId, IReadOnlyCollection<string> providerMessageIds, CancellationToken cancellationToken) =>
        inner.FindByProviderIdsAsync(tenant, channelId, providerMessageIds, cancellationToken);

    public Task<Page<Message>> ListByChatAsync(Tenant tenant, string chatId, bool newestFirst, PageRequest page, CancellationToken cancellationToken) =>
        inner.ListByChatAsync(tenant, chatId, newestFirst, page, cancellationToken);
}
