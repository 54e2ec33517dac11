using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Api.Tests.OpenApi;

/// <summary>
/// xunit runs collections that disable parallelization after every parallel one: this check sees the responses of
/// every other test of this project.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AfterEveryOtherTest
{
    public const string Name = "After every other test";
}

/// <summary>
/// The one collected check: every response that the test servers of this suite gave (each test's, the hostile
/// requests' included) kept to the OpenAPI documents (<see cref="ResponseContract"/>), and every operation of the
/// documents answered with success at least once, so that a new endpoint needs both a schema and a test.
/// </summary>
[Collection(AfterEveryOtherTest.Name)]
public sealed class ResponseContractTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_response_of_the_suite_keeps_to_the_OpenAPI_documents()
    {
        var answered = ResponseContract.Answered;
        var responses = answered.Values.Sum();
        output.WriteLine($"{responses} responses over {answered.Keys.Select(k => k.Operation).Distinct().Count()} operations, " +
            $"{answered.Count} operation and status pairs; {ResponseContract.Violations.Count} violations");
        foreach (var ((operation, status), count) in answered.OrderBy(a => a.Key.Operation).ThenBy(a => a.Key.Status))
        {
            output.WriteLine($"  {operation} {status}: {count}");
        }
        foreach (var violation in ResponseContract.Violations)
        {
            output.WriteLine(violation);
        }

        Assert.True(responses > 1000, $"only {responses} responses were checked: this check runs after the rest of the project, not alone");
        Assert.Empty(ResponseContract.Violations);
        // Success: a 2xx, or the 303 of a route whose success is a redirect (the console's entry and sign-in).
        var unanswered = OpenApiContract.Operations.Keys.Where(op => !answered.Keys.Any(k => k.Operation == op && k.Status is >= 200 and < 300 or 303));
        Assert.Empty(unanswered);
    }
}
