using System.Globalization;
using System.Net;
using Interflow.Core.Accounts;
using Interflow.TestServer;
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

        for (var i = 0; i < 60; i++)
        {
            var response = await (i % 2 == 0 ? a : b).GetApiAsync("v1/customers");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("60", response.Header("X-RateLimit-Limit"));
            Assert.Equal((59 - i).ToString(CultureInfo.InvariantCulture), response.Header("X-RateLimit-Remaining"));
            Assert.Equal(reset, response.Header("X-RateLimit-Reset"));
        }
        var refused = await b.GetApiAsync("v1/customers");

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

        Assert.Equal(60, responses.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(30, responses.Count(r => r.Status == HttpStatusCode.TooManyRequests));
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
