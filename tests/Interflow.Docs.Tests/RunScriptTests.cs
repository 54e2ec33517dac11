using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Interflow.Docs.Tests;

/// <summary>
/// <c>bash scripts/run.sh</c> from a fresh clone, as the README's first command: it serves the API on whichever runtime
/// the machine has, prints one block with a curl line that works as pasted, stops everything on Ctrl+C, and a second
/// run finds the same store and keys. Both runs of a class share the defaults' ports, so they run one after another.
/// </summary>
public sealed partial class RunScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ready = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_newcomer_runs_it_calls_the_printed_curl_line_and_the_readme_then_ctrl_c_stops_everything_and_a_second_run_keeps_the_keys()
    {
        int[] defaults = [7071, 10000, 10001, 10002];
        Assert.True(defaults.All(Free), "7071 and 10000-10002, run.sh's default ports, must be free for this test (is scripts/run.sh running?)");
        using var clone = FreshClone.Create();
        var newcomer = new Dictionary<string, string?> { ["INTERFLOW_FUNCTIONS_HOST"] = null, ["INTERFLOW_PORT"] = null, ["INTERFLOW_AZURITE_PORT"] = null };

        string key;
        await using (var run = RunScript.Start(clone.Root, newcomer))
        {
            await run.WaitForAsync(ReadyLine(), Ready);
            output.WriteLine(run.Text);
            Assert.Matches($"^run.sh: running the {Describe(RunPath.Expected(hostNamed: false))}[ :]", run.Output[0]);
            Assert.Contains(run.Output, l => l.StartsWith($"Interflow is running {RunPath.Expected(hostNamed: false)}", StringComparison.Ordinal));
            key = (await run.WaitForAsync(ExportLine(), TimeSpan.Zero)).Groups[1].Value;
            Assert.Contains(run.Output, l => LiveKeyLine().IsMatch(l));

            var tryIt = await BashAsync(clone.Root, TryItLines(run), []);
            Assert.Equal(0, tryIt.ExitCode);
            using (var customers = JsonDocument.Parse(tryIt.Output))
            {
                Assert.True(customers.RootElement.GetProperty("success").GetBoolean(), tryIt.Output);
            }

            var readme = await BashAsync(clone.Root, Readme.Block("First calls"), new() { ["INTERFLOW_KEY"] = key });
            output.WriteLine(readme.Output);
            Assert.Equal(0, readme.ExitCode);
            Assert.DoesNotContain("\"success\":false", readme.Output);
            Assert.Matches("\"status\":\"sent\"", readme.Output);

            using var http = new HttpClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("http://localhost:7071/docs")).StatusCode);

            // The console's one-time link, as printed, signs the local owner in.
            var signIn = run.Output.Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost:7071/console/sign-in?token=", StringComparison.Ordinal));
            using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }))
            {
                using var signedIn = await browser.GetAsync(signIn);
                Assert.Equal(System.Net.HttpStatusCode.SeeOther, signedIn.StatusCode);
                Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("interflow_console=", StringComparison.Ordinal));
            }

            var log = await File.ReadAllTextAsync(clone.Path(".artifacts/run/app.log"));
            Assert.DoesNotContain(key, log);
            Assert.DoesNotContain(signIn[(signIn.IndexOf("token=", StringComparison.Ordinal) + 6)..], log);
            Assert.DoesNotContain(await File.ReadAllTextAsync(clone.Path(".data/operator-key")), log);

            Assert.Equal(130, await run.InterruptAsync(Stop));
            Assert.Equal("run.sh: stopped", run.Output[^1]);
        }
        Assert.All(defaults, port => Assert.True(Free(port), $"port {port} still in use after Ctrl+C"));
        Assert.Empty(RunScript.ProcessesIn(clone.Root));

        await using (var again = RunScript.Start(clone.Root, newcomer))
        {
            await again.WaitForAsync(ReadyLine(), Ready);
            output.WriteLine(again.Text);
            Assert.DoesNotContain(again.Output, l => l.Contains("ifk_", StringComparison.Ordinal));
            Assert.Contains(again.Output, l => l.Contains("printed at this store's first start", StringComparison.Ordinal));
            Assert.Contains(again.Output, l => l.Trim().StartsWith("http://localhost:7071/console/sign-in?token=", StringComparison.Ordinal));
            var tryIt = await BashAsync(clone.Root, TryItLines(again), new() { ["INTERFLOW_KEY"] = key });
            Assert.Contains("\"success\":true", tryIt.Output);
            Assert.Equal(130, await again.InterruptAsync(Stop));
        }
        Assert.Empty(RunScript.ProcessesIn(clone.Root));
    }

    [SkippableFact]
    public async Task With_a_functions_host_named_it_runs_the_app_in_that_host()
    {
        Skip.If(RunPath.NamedHost is null, "no Functions host named: INTERFLOW_FUNCTIONS_HOST is not set (.ci/run sets it where the build machines have one)");
        using var clone = FreshClone.Create();
        var port = LoopbackPorts.Free();
        var azurite = FreeRange(3);

        await using var run = RunScript.Start(clone.Root, new Dictionary<string, string?>
        {
            ["INTERFLOW_FUNCTIONS_HOST"] = RunPath.NamedHost,
            ["INTERFLOW_PORT"] = $"{port}",
            ["INTERFLOW_AZURITE_PORT"] = $"{azurite}",
        });
        await run.WaitForAsync(ReadyLine(), Ready);
        output.WriteLine(run.Text);

        Assert.Matches($"^run.sh: running the {Describe(RunPath.Expected(hostNamed: true))}[ :]", run.Output[0]);
        Assert.Contains(run.Output, l => l.StartsWith($"Interflow is running {RunPath.Expected(hostNamed: true)}", StringComparison.Ordinal));
        var tryIt = await BashAsync(clone.Root, TryItLines(run), []);
        Assert.Contains("\"success\":true", tryIt.Output);
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://localhost:{port}/docs")).StatusCode);
        Assert.Equal(130, await run.InterruptAsync(Stop));
        Assert.True(Free(port) && Free(azurite + 1), "ports still in use after Ctrl+C");
        Assert.Empty(RunScript.ProcessesIn(clone.Root));
    }

    private static string Describe(string path) => path switch
    {
        RunPath.Func => "Functions app under func start",
        RunPath.Host => "Functions app in the Functions host",
        _ => "standalone server",
    };

    /// <summary>The block's "try it" lines (the export, on a first start, and the curl line), as the user pastes them.</summary>
    private static string TryItLines(RunScript run)
    {
        var lines = run.Output.SkipWhile(l => !l.TrimStart().StartsWith("try it", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToArray();
        Assert.Contains(lines, l => l.StartsWith("curl ", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }

    internal static async Task<(int ExitCode, string Output)> BashAsync(string folder, string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (bash.ExitCode, await stdout + await stderr);
    }

    internal static bool Free(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect("127.0.0.1", port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>The first of <paramref name="count"/> free consecutive ports, below Linux's ephemeral range.</summary>
    internal static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Random.Shared.Next(20000, 32000);
            if (Enumerable.Range(first, count).All(Free))
            {
                return first;
            }
        }
        throw new InvalidOperationException($"no {count} free consecutive ports found");
    }

    [GeneratedRegex(@"^Ctrl\+C stops the app")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"^\s+export INTERFLOW_KEY=(ifk_test_[A-Za-z0-9]+)$")]
    private static partial Regex ExportLine();

    [GeneratedRegex(@"^\s+production \(live\): ifk_live_[A-Za-z0-9]+$")]
    private static partial Regex LiveKeyLine();
}
