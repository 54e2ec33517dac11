using System.Diagnostics;
using Interflow.Core.Accounts;
using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Sdks.Tests;

/// <summary>A fresh clone of the repository and a test server, shared by the README tests.</summary>
public sealed class NewcomerFixture : IAsyncLifetime
{
    public FreshClone Clone { get; } = FreshClone.Create();

    public InterflowTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InterflowTestServer.StartAsync(InterflowServerFixture.FastSettings());

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Clone.Dispose();
    }
}

/// <summary>
/// Each client's README as a newcomer follows it: its install commands run as written, from a fresh clone into a new
/// project outside the repository, then every code block of the README saved as one file there and run against the
/// test server. The blocks read the key and the base URL from INTERFLOW_API_KEY and INTERFLOW_BASE_URL, as they say.
/// </summary>
public sealed class SdkReadmeTests(NewcomerFixture fixture, ITestOutputHelper output) : IClassFixture<NewcomerFixture>
{
    private static readonly TimeSpan Install = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan Run = TimeSpan.FromMinutes(3);

    // Debian's Python first, where apt puts python3-venv, python3-httpx and python3-setuptools (not a pyenv one).
    private static readonly string DebianPath = "/usr/bin:" + Environment.GetEnvironmentVariable("PATH");

    /// <summary>How a README is followed: its install block, its code blocks, and how each block runs as a file.</summary>
    private sealed record Readme(string Page, string InstallHeading, string Language, Func<int, (string File, string Program, string[] Arguments)> Runner)
    {
        public Dictionary<string, string> Environment { get; init; } = [];
    }

    private static readonly Dictionary<string, Readme> Readmes = new()
    {
        ["node"] = new("sdks/node/README.md", "Install", "js", n => ($"example{n}.mjs", "node", [$"example{n}.mjs"])),
        ["python"] = new("sdks/python/README.md", "Without it", "python", n => ($"example{n}.py", ".venv/bin/python", [$"example{n}.py"]))
        {
            Environment = { ["PATH"] = DebianPath },
        },
        ["php"] = new("sdks/php/README.md", "Install", "php", n => ($"example{n}.php", "php", [$"example{n}.php"]))
        {
            Environment = { ["COMPOSER_ALLOW_SUPERUSER"] = "1", ["COMPOSER_NO_INTERACTION"] = "1" },
        },
        // As the README says: the example is shop/Program.cs, run with `dotnet run --project shop`.
        ["csharp"] = new("src/Interflow.Client/README.md", "Install", "csharp", _ => ("shop/Program.cs", "dotnet", ["run", "--project", "shop"])),
    };

    public static TheoryData<string> Clients => new(Readmes.Keys);

    [SkippableTheory]
    [MemberData(nameof(Clients))]
    public async Task The_readme_installs_as_written_and_every_example_runs_as_pasted(string client)
    {
        var readme = Readmes[client];
        var missing = SdkSuite.All.TryGetValue(client, out var suite) ? suite.MissingTools() : [];
        // The test command installs every tool (scripts/test.sh); a developer's machine may lack one.
        Skip.If(missing.Length > 0 && Environment.GetEnvironmentVariable("INTERFLOW_SDKS_REQUIRED") != "1", $"needs {string.Join(", ", missing)}");
        await FollowAsync(readme, readme.InstallHeading);
    }

    [SkippableFact]
    public async Task Python_installs_with_the_package_index_as_the_readme_says_where_the_index_answers()
    {
        Skip.IfNot(await AnswersAsync("https://pypi.org/simple/httpx/"), "the Python package index (pypi.org) does not answer from this machine");
        await FollowAsync(Readmes["python"], "With the Python package index");
    }

    private async Task FollowAsync(Readme readme, string installHeading)
    {
        var text = await File.ReadAllTextAsync(fixture.Clone.Path(readme.Page));
        var install = Assert.Single(MarkdownBlocks.Of(text, "sh", installHeading));
        var examples = MarkdownBlocks.Of(text, readme.Language);
        Assert.NotEmpty(examples);
        var project = Directory.CreateTempSubdirectory("interflow-sdk-project-").FullName;
        try
        {
            var environment = new Dictionary<string, string>(readme.Environment) { ["INTERFLOW_REPO"] = fixture.Clone.Root };
            var installed = await ShellAsync(project, ["bash", "-euo", "pipefail", "-c", install], environment, Install);
            Assert.True(installed.ExitCode == 0, $"the install commands failed:\n{install}\n{installed.Output}");

            var account = await InterflowServerFixture.CreateAccountAsync(fixture.Server, Plan.Enterprise);
            environment["INTERFLOW_API_KEY"] = account.TestKey;
            environment["INTERFLOW_BASE_URL"] = fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/');
            var printed = new List<string>();
            for (var n = 0; n < examples.Count; n++)
            {
                var (file, program, arguments) = readme.Runner(n + 1);
                await File.WriteAllTextAsync(Path.Combine(project, file), examples[n]);
                // A program named by a path (.venv/bin/python) is the project's own.
                var ran = await ShellAsync(project, [program.Contains('/', StringComparison.Ordinal) ? Path.Combine(project, program) : program, .. arguments], environment, Run);
                output.WriteLine($"example {n + 1}: {ran.Output}");
                Assert.True(ran.ExitCode == 0, $"example {n + 1} failed:\n{examples[n]}\n{ran.Output}");
                Assert.False(string.IsNullOrWhiteSpace(ran.Output), $"example {n + 1} printed nothing");
                printed.Add(ran.Output);
            }
            // Each README's first example sends a message and prints it: it reached the server and back.
            Assert.Matches(@"message msg_[0-9a-f]+: (sent|queued)", printed[0]);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> ShellAsync(string folder, string[] command, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"(killed after {timeout})\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<bool> AnswersAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
