using System.Text.Json.Nodes;
using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Sdks.Tests;

/// <summary>
/// Each SDK's own suite, run against a test server behind a <see cref="FaultProxy"/>. The suite must pass, and what it
/// did must keep to the OpenAPI document: every public operation answered it with success at least once, every body
/// it sent that the server accepted fits its request schema, and every answer kept to the document.
/// The suite's own counts go to <c>sdk-NAME.counts</c> beside the test results, for the test command's totals.
/// </summary>
public sealed class SdkSuiteTests(ITestOutputHelper output)
{
    public static TheoryData<string> Suites => new(SdkSuite.All.Keys);

    [SkippableTheory]
    [MemberData(nameof(Suites))]
    public async Task The_sdk_suite_passes_and_kept_to_the_document(string name)
    {
        var suite = SdkSuite.All[name];
        var missing = suite.MissingTools();
        // The test command installs every tool (scripts/test.sh); a developer's machine may lack one.
        Skip.If(missing.Length > 0 && Environment.GetEnvironmentVariable("INTERFLOW_SDKS_REQUIRED") != "1",
            $"the {name} SDK suite needs {string.Join(", ", missing)} (scripts/test.sh installs them)");
        Assert.Empty(missing);

        var settings = InterflowServerFixture.FastSettings();
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
        await using var server = await InterflowTestServer.StartAsync(settings);
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var results = Environment.GetEnvironmentVariable("INTERFLOW_TEST_RESULTS") ?? Path.GetTempPath();
        var junit = Path.Combine(results, $"sdk-{name}.junit.xml");
        File.Delete(junit);
        var environment = new Dictionary<string, string>(suite.Environment)
        {
            ["INTERFLOW_TEST_BASE_URL"] = proxy.BaseAddress,
            ["INTERFLOW_TEST_ADMIN_KEY"] = server.AdminKey,
            ["INTERFLOW_TEST_SINK"] = proxy.BaseAddress + "/_sink",
            ["INTERFLOW_OPENAPI"] = Repository.Path("docs/openapi.json"),
            ["INTERFLOW_WEBHOOK_VECTORS"] = Repository.Path("sdks/webhook-vectors.json"),
        };

        foreach (var command in suite.Commands)
        {
            var resolved = command with { Arguments = command.Arguments.Select(a => a.Replace("{junit}", junit)).ToArray() };
            var (exitCode, text) = await SuiteRunner.RunAsync(resolved, Repository.Path(suite.Directory), environment, TimeSpan.FromMinutes(10));
            output.WriteLine($"$ {resolved.Program} {string.Join(' ', resolved.Arguments)}  (exit {exitCode})");
            output.WriteLine(text.Length > 20_000 ? "…" + text[^20_000..] : text);
            if (exitCode != 0 && !File.Exists(junit))
            {
                File.WriteAllText(Path.Combine(results, $"sdk-{name}.counts"), "0 1 0");
                Assert.Fail($"{resolved.Program} {string.Join(' ', resolved.Arguments)} exited {exitCode}; its output is in this test's log");
            }
        }

        var result = SuiteResult.Read(junit);
        File.WriteAllText(Path.Combine(results, $"sdk-{name}.counts"), $"{result.Passed} {result.Failed} {result.Skipped}");
        var answered = proxy.Requests.Where(r => r.Status is >= 200 and < 300 && r.Fault == "")
            .Select(r => OpenApiContract.OperationOf(r.Method, r.PathAndQuery)).OfType<string>().ToHashSet();
        var publicOperations = OpenApiContract.ClientOperations;
        var bodyProblems = proxy.Requests
            .Where(r => r.Body is not null && r.Status is >= 200 and < 300 && r.Fault != "answered" && r.PathAndQuery.StartsWith("/v1/", StringComparison.Ordinal))
            .Select(r => (Request: r, Problem: OpenApiContract.RequestProblem(OpenApiContract.OperationOf(r.Method, r.PathAndQuery)!, JsonNode.Parse(r.Body!)!)))
            .Where(p => p.Problem is not null).Select(p => $"{p.Request.Method} {p.Request.PathAndQuery}: {p.Problem}").ToArray();
        output.WriteLine($"{name}: {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped; {answered.Intersect(publicOperations).Count()} of " +
            $"{publicOperations.Count} public operations answered with success; {proxy.Requests.Count} requests, {bodyProblems.Length} body problems");

        Assert.Empty(result.FailedNames);
        Assert.True(result.Passed >= suite.MinimumTests, $"only {result.Passed} tests passed");
        Assert.Empty(publicOperations.Except(answered));
        Assert.Empty(bodyProblems);
        Assert.Empty(ResponseContract.Violations);
    }
}
