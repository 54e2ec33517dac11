using System.Globalization;
using System.Net;
using Interflow.Core.Accounts;
using Interflow.Core.RateLimiting;
using Interflow.Infrastructure.Sqlite;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Interflow.Api.Tests;

/// <summary>Two app instances on one store share one budget per account and environment.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    // Ten seconds into a minute, so that a whole test runs inside one window.
    private static readonly DateTimeOffset WindowStart = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(WindowStart.AddSeconds(10));
    private InterflowTestServer first = null!;
    private InterflowTestServer second = null!;

    public async Task InitializeAsync()
    {
        var store = Path.Combine(Path.GetTempPath(), $"interflow-ratelimit-{Guid.NewGuid():N}.db");
        first = await InterflowTestServer.StartAsync(new TestServerSettings { SqlitePath = store, Clock = clock });
        second = await InterflowTestServer.StartAsync(new TestServerSettings { SqlitePath = store, Clock = clock });
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Starter_budget_is_shared_by_two_servers_and_the_61st_call_is_429()
    {
        var account = await InterflowServerFixture.CreateAccountAsync(first, Plan.Starter);
        using var a = first.CreateClient(account.LiveKey);
        using var b = second.CreateClient(account.LiveKey);
        var reset = WindowStart.AddMinutes(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var remaining = new Dictionary<HttpClient, List<int>> { [a] = [], [b] = [] };

        for (var i = 0; i < 60; i++)
        {
            var client = i % 2 == 0 ? a : b;
            var response = await client.GetApiAsync("v1/customers");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("60", response.Header("X-RateLimit-Limit"));
            Assert.Equal(reset, response.Header("X-RateLimit-Reset"));
            remaining[client].Add(int.Parse(response.Header("X-RateLimit-Remaining"), CultureInfo.InvariantCulture));
        }
        var refused = await b.GetApiAsync("v1/customers");

        // Each server hands out the positions it leased: its Remaining only falls, and together they reach 0.
        foreach (var seen in remaining.Values)
        {
            Assert.Equal(seen.OrderDescending(), seen);
            Assert.Equal(seen.Count, seen.Distinct().Count());
        }
        Assert.Equal(Enumerable.Range(0, 60).Reverse(), remaining.Values.SelectMany(v => v).OrderDescending());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("RATE_LIMIT_EXCEEDED", refused.ErrorCode);
        Assert.Equal("50", refused.Header("Retry-After"));
        Assert.Equal("0", refused.Header("X-RateLimit-Remaining"));
        Assert.Equal(reset, refused.Header("X-RateLimit-Reset"));

        using var sandbox = second.CreateClient(account.TestKey);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.GetApiAsync("v1/customers")).Status);

        clock.Advance(TimeSpan.FromMinutes(1));
        var nextWindow = await a.GetApiAsync("v1/customers");
        Assert.Equal(HttpStatusCode.OK, nextWindow.Status);
        Assert.Equal("59", nextWindow.Header("X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task Concurrent_calls_on_two_servers_admit_exactly_the_limit()
    {
        var account = await InterflowServerFixture.CreateAccountAsync(first, Plan.Starter);
        using var a = first.CreateClient(account.LiveKey);
        using var b = second.CreateClient(account.LiveKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 90).Select(i => (i % 2 == 0 ? a : b).GetApiAsync("v1/customers")));

        // Every position up to the limit was leased by one server or the other and spent: traffic went on past it.
        Assert.Equal(60, responses.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(30, responses.Count(r => r.Status == HttpStatusCode.TooManyRequests));
        Assert.All(responses.Where(r => r.Status == HttpStatusCode.TooManyRequests), r => Assert.Equal("50", r.Header("Retry-After")));
    }

    [Fact]
    public async Task A_server_that_goes_quiet_holds_back_at_most_its_last_block_and_none_is_admitted_over_the_limit()
    {
        var account = await InterflowServerFixture.CreateAccountAsync(first, Plan.Starter);
        using var a = first.CreateClient(account.LiveKey);
        using var b = second.CreateClient(account.LiveKey);

        // One call on the first server leases a block of 60 / 16 = 3 positions and spends one; then it goes quiet.
        Assert.Equal("59", (await a.GetApiAsync("v1/customers")).Header("X-RateLimit-Remaining"));
        var onSecond = new List<ApiResponse>();
        for (var i = 0; i < 70; i++)
        {
            onSecond.Add(await b.GetApiAsync("v1/customers"));
        }

        Assert.Equal(57, onSecond.Count(r => r.Status == HttpStatusCode.OK));
        Assert.True(onSecond.Take(57).All(r => r.Status == HttpStatusCode.OK));
        // What the quiet server holds is still its own: two more calls there are admitted, the third is not.
        var quiet = new[] { await a.GetApiAsync("v1/customers"), await a.GetApiAsync("v1/customers"), await a.GetApiAsync("v1/customers") };
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], quiet.Select(r => r.Status));
        Assert.Equal(["58", "57", "0"], quiet.Select(r => r.Header("X-RateLimit-Remaining")));
    }

    [Fact]
    public async Task Sustained_load_writes_the_counter_once_per_block_not_once_per_request()
    {
        var counted = new CountingCounters();
        var store = Path.Combine(Path.GetTempPath(), $"interflow-ratelimit-{Guid.NewGuid():N}.db");
        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings
        {
            SqlitePath = store,
            Clock = clock,
            ConfigureServices = services => services.AddSingleton<IRateLimitStore>(sp => counted.Around(ActivatorUtilities.CreateInstance<SqliteRateLimitStore>(sp))),
        });
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);

        var responses = new List<ApiResponse>();
        for (var round = 0; round < 50; round++)
        {
            responses.AddRange(await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetApiAsync("v1/customers"))));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(400, responses.Select(r => r.Header("X-RateLimit-Remaining")).Distinct().Count());
        // 1000 a minute: blocks of 62, 58, 54, … : 400 requests take 8 counter writes (0.02 a request).
        Assert.InRange(counted.Writes, 1, 40);
    }

    private sealed class CountingCounters
    {
        private int writes;

        public int Writes => Volatile.Read(ref writes);

        public IRateLimitStore Around(IRateLimitStore inner) => new Store(inner, this);

        private sealed class Store(IRateLimitStore inner, CountingCounters owner) : IRateLimitStore
        {
            public Task<long> IncrementAsync(string counterId, long amount, DateTimeOffset expiresAt, CancellationToken cancellationToken)
            {
                if (!counterId.StartsWith("pace:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref owner.writes);
                }
                return inner.IncrementAsync(counterId, amount, expiresAt, cancellationToken);
            }
        }
    }

    [Theory]
    [InlineData(Plan.Starter, "60")]
    [InlineData(Plan.Professional, "300")]
    [InlineData(Plan.Enterprise, "1000")]
    public async Task Limit_follows_the_plan_on_every_v1_response(Plan plan, string limit)
    {
        var account = await InterflowServerFixture.CreateAccountAsync(first, plan);
        using var client = first.CreateClient(account.TestKey);

        var ok = await client.GetApiAsync("v1/customers");
        var notFound = await client.GetApiAsync("v1/customers/cust_missing");
        var invalid = await client.PostApiAsync("v1/customers", new { });

        foreach (var response in new[] { ok, notFound, invalid })
        {
            Assert.Equal(limit, response.Header("X-RateLimit-Limit"));
            Assert.NotEmpty(response.Header("X-RateLimit-Remaining"));
            Assert.NotEmpty(response.Header("X-RateLimit-Reset"));
        }
    }
}
