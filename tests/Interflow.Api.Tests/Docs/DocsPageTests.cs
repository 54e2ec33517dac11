using System.Diagnostics;
using System.Text.Json.Nodes;
using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Api.Tests.Docs;

/// <summary>
/// GET /docs in headless Chromium: the page renders every operation of the public document, asks nothing of any host
/// but the app (Chromium's network log, requests made for the page), and leaves a screenshot under the test results.
/// The browser is the Debian package <c>chromium</c> (scripts/test.sh installs it and sets INTERFLOW_CHROMIUM).
/// </summary>
public sealed class DocsPageTests(InterflowServerFixture fixture, ITestOutputHelper output) : IClassFixture<InterflowServerFixture>
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Docs_page_renders_every_operation_without_outside_requests_and_leaves_a_screenshot()
    {
        var browser = Chromium.Executable();
        Skip.If(browser is null, Chromium.Missing);
        var page = new Uri(fixture.Server.BaseAddress, "docs").ToString();
        var work = Directory.CreateTempSubdirectory("interflow-docs-");
        try
        {
            var netLog = Path.Combine(work.FullName, "net-log.json");
            var dom = await RunAsync(browser, work, $"--log-net-log={netLog}", "--dump-dom", page);
            var screenshot = Path.Combine(Chromium.ResultsDirectory(), "docs-page.png");
            await RunAsync(browser, work, $"--screenshot={screenshot}", "--window-size=1280,2400", "--hide-scrollbars", page);

            foreach (var operation in OpenApiContract.Operations.Where(o => o.Value.Document == OpenApiContract.Public))
            {
                Assert.Contains($"id=\"{operation.Key}\"", dom, StringComparison.Ordinal);
            }
            Assert.Contains(">POST /v1/messages/send</a>", dom, StringComparison.Ordinal);
            Assert.Contains(">GET /v1/customers/{id}</a>", dom, StringComparison.Ordinal);
            Assert.Contains(">POST /v1/messages/bulk</a>", dom, StringComparison.Ordinal);
            Assert.Contains(">DELETE /v1/webhooks/{id}</a>", dom, StringComparison.Ordinal);

            var requested = PageRequests(netLog, fixture.Server.BaseAddress);
            Assert.Contains(page, requested);
            Assert.All(requested, url => Assert.StartsWith(fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority), url, StringComparison.Ordinal));
            Assert.True(new FileInfo(screenshot).Length > 10_000, $"{screenshot} is too small to show the page");
            output.WriteLine($"{requested.Count} requests for the page, all to the app; screenshot: {screenshot}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The URLs Chromium requested on the page's behalf: those it keyed by the page's site (its own update and
    /// account checks are keyed otherwise).
    /// </summary>
    private static List<string> PageRequests(string netLog, Uri server)
    {
        var log = JsonNode.Parse(File.ReadAllText(netLog))!;
        var startJob = log["constants"]!["logEventTypes"]!["URL_REQUEST_START_JOB"]!.GetValue<int>();
        var site = $"{server.Scheme}://{server.Host}";
        return [.. log["events"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<int>() == startJob && e["params"]?["network_isolation_key"]?.GetValue<string>().StartsWith(site + " ", StringComparison.Ordinal) == true)
            .Select(e => e!["params"]!["url"]!.GetValue<string>())];
    }

    private static async Task<string> RunAsync(string browser, DirectoryInfo work, params string[] arguments)
    {
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No sandbox: test machines run as root; a profile of its own so that parallel runs do not share one.
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            $"--user-data-dir={Path.Combine(work.FullName, "profile")}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(BrowserTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish within {BrowserTimeout}: {await stderr}");
        }
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
