using System.Net;
using Interflow.Api.Composition;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Paging;
using Interflow.Infrastructure.Sqlite;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Messaging;

/// <summary>Sends read their channel from the instance's cache, not the store, once it was read.</summary>
public sealed class ChannelReadCacheTests
{
    private static async Task<(InterflowTestServer Server, CountingChannels Reads)> StartAsync(int cacheSeconds)
    {
        var reads = new CountingChannels();
        var settings = new TestServerSettings();
        settings.Configuration["Interflow:ChannelCacheSeconds"] = cacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings.ConfigureServices = services => services.AddSingleton<IChannelStore>(sp =>
            ActivatorUtilities.CreateInstance<ChannelReadCache>(sp, reads.Around(sp.GetRequiredService<SqliteChannelStore>())));
        return (await InterflowTestServer.StartAsync(settings), reads);
    }

    [Fact]
    public async Task Five_sends_on_one_channel_read_it_from_the_store_once_and_a_missing_channel_every_time()
    {
        var (server, reads) = await StartAsync(cacheSeconds: 60);
        await using var _ = server;
        using var client = server.CreateClient((await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise)).LiveKey);
        var channel = (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox" })).Data.GetProperty("id").GetString()!;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()))).Status);
        }
        var read = await client.GetApiAsync($"v1/channels/{channel}");
        var readsOfTheChannel = reads.Reads;
        var missing = new[] { await client.GetApiAsync("v1/channels/ch_missing"), await client.GetApiAsync("v1/channels/ch_missing") };

        Assert.Equal(1, readsOfTheChannel);
        Assert.Equal("Loja", read.Data.GetProperty("name").GetString());
        Assert.All(missing, r => Assert.Equal(HttpStatusCode.NotFound, r.Status));
        Assert.Equal(3, reads.Reads);
    }

    [Fact]
    public async Task With_the_cache_off_every_send_reads_its_channel()
    {
        var (server, reads) = await StartAsync(cacheSeconds: 0);
        await using var _ = server;
        using var client = server.CreateClient((await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise)).LiveKey);
        var channel = (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox" })).Data.GetProperty("id").GetString()!;

        for (var i = 0; i < 3; i++)
        {
            await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        }

        // At least the send's own read each time (the delivery reports that follow read it too).
        Assert.True(reads.Reads >= 3, $"{reads.Reads} channel reads for 3 sends");
    }

    private sealed class CountingChannels
    {
        private int reads;

        public int Reads => Volatile.Read(ref reads);

        public IChannelStore Around(IChannelStore inner) => new Store(inner, this);

        private sealed class Store(IChannelStore inner, CountingChannels owner) : IChannelStore
        {
            public Task CreateAsync(Channel channel, CancellationToken cancellationToken) => inner.CreateAsync(channel, cancellationToken);

            public Task<Channel?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner.reads);
                return inner.GetAsync(tenant, id, cancellationToken);
            }

            public Task<Channel?> FindAsync(string id, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner.reads);
                return inner.FindAsync(id, cancellationToken);
            }

            public Task<Page<Channel>> ListAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken) => inner.ListAsync(tenant, page, cancellationToken);
        }
    }
}
