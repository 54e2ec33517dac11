using System.Diagnostics;
using System.Xml.Linq;

namespace Interflow.Sdks.Tests;

/// <summary>A command of a suite; <c>{junit}</c> in its arguments is replaced by the JUnit report's path.</summary>
public sealed record SuiteCommand(string Program, params string[] Arguments);

/// <summary>
/// One SDK's own test suite (under <c>sdks/</c>): the tools it needs, the commands that prepare and run it, and the
/// least number of tests a complete run reports (so that a suite that found no tests does not pass).
/// </summary>
public sealed record SdkSuite(string Name, string Directory, string[] Tools, SuiteCommand[] Commands, int MinimumTests, Dictionary<string, string> Environment)
{
    /// <summary>Debian's Python (where apt puts python3-httpx and python3-pytest), not a pyenv one earlier on the PATH.</summary>
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static readonly SdkSuite Node = new("node", "sdks/node", ["node", "npm"],
    [
        new("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"),
        new("npm", "run", "build"),
        // The shell lists the test files: given a directory, Node 20 would run the helpers beside them as tests too.
        new("sh", "-c", "node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout " +
            "--test-reporter=junit --test-reporter-destination='{junit}' test/*.test.mjs"),
    ], 20, []);

    public static readonly SdkSuite Python3 = new("python", "sdks/python", [Python],
    [
        new(Python, "-c", "import httpx, pytest"),
        new(Python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml={junit}", "tests"),
    ], 20, new() { ["PYTHONPATH"] = "src", ["PYTHONDONTWRITEBYTECODE"] = "1" });

    public static readonly SdkSuite Php = new("php", "sdks/php", ["php", "phpunit", "composer"],
    [
        new("composer", "validate", "--strict"),
        new("composer", "dump-autoload", "--dev", "--no-interaction"),
        new("phpunit", "--log-junit", "{junit}"),
    ], 20, new() { ["COMPOSER_ALLOW_SUPERUSER"] = "1", ["COMPOSER_NO_INTERACTION"] = "1" });

    public static IReadOnlyDictionary<string, SdkSuite> All { get; } = new[] { Node, Python3, Php }.ToDictionary(s => s.Name);

    /// <summary>The tools of this suite not found on the PATH.</summary>
    public string[] MissingTools() => Tools.Where(tool => !(Path.IsPathRooted(tool) ? File.Exists(tool)
        : (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool))))).ToArray();

    public override string ToString() => Name;
}

/// <summary>What a JUnit report says: tests passed, failed and skipped, and the names of the failed ones.</summary>
public sealed record SuiteResult(int Passed, int Failed, int Skipped, string[] FailedNames)
{
    public static SuiteResult Read(string junitPath)
    {
        var cases = XDocument.Load(junitPath).Descendants("testcase").ToArray();
        var failed = cases.Where(c => c.Elements().Any(e => e.Name.LocalName is "failure" or "error")).ToArray();
        var skipped = cases.Count(c => c.Elements().Any(e => e.Name.LocalName == "skipped"));
        return new SuiteResult(cases.Length - failed.Length - skipped, failed.Length, skipped,
            failed.Select(c => $"{c.Attribute("classname")?.Value} {c.Attribute("name")?.Value}").ToArray());
    }
}

/// <summary>Runs a suite's commands in its directory, with its output kept for the report.</summary>
public static class SuiteRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(SuiteCommand command, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command.Program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) { output.AppendLine($"(killed after {timeout})"); }
            return (-1, output.ToString());
        }
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
