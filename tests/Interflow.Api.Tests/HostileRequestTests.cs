using Interflow.Api.Http;
using Interflow.HostileRequests;
using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Api.Tests;

/// <summary>
/// Hostile requests generated from the route table (tests/Interflow.HostileRequests, FsCheck generators) at a fixed
/// seed: never a 5xx, always the envelope with a documented code, and a refused request stores nothing. The longer
/// run with any seed is <c>dotnet run -c Release --project tests/Interflow.HostileRequests</c>.
/// </summary>
public sealed class HostileRequestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261124;
    private const int Cases = 3000;
    private HostileRequestRun run = null!;

    public async Task InitializeAsync() => run = await HostileRequestRun.StartAsync();

    public async Task DisposeAsync() => await run.DisposeAsync();

    [Fact]
    public async Task Every_route_sample_is_a_valid_request()
    {
        var answers = await run.SendSamplesAsync();

        Assert.Equal(ApiRouteTable.All.Select(r => r.Name).Order(), answers.Select(a => a.Sample.Route.Name).Order());
        // Success: a 2xx, or the 303 of a route whose success is a redirect (the console's entry and sign-in).
        Assert.All(answers, a => Assert.True(a.Status is >= 200 and < 300 || a.Sample.Route.Responses.Any(r => r.Status == a.Status), $"{a.Sample.Route.Name} answered {a.Status}"));
        // What the server takes, the document describes: each accepted body fits its operation's request schema.
        Assert.All(answers.Where(a => a.Sample.Body is not null), a => Assert.Null(OpenApiContract.RequestProblem(a.Sample.Route.Name, a.Sample.Body!)));
    }

    [Fact]
    public async Task Generated_hostile_requests_never_get_a_5xx_or_leave_the_envelope_and_refused_ones_store_nothing()
    {
        var report = await run.RunAsync(Cases, Seed);

        output.WriteLine(report.ToString());
        Assert.Empty(report.Violations);
        Assert.Equal(Cases, report.Total);
        Assert.Equal(ApiRouteTable.All.Select(r => r.Name).Order(), report.TriedPerRoute.Keys.Order());
        Assert.All(Enum.GetValues<Damage>(), damage => Assert.True(report.Tried[damage] >= Cases / 20, $"only {report.Tried[damage]} {damage} cases"));
    }
}
