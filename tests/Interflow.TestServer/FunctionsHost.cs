using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Interflow.TestServer;

/// <summary>How to run the Functions app in a host.</summary>
public sealed class FunctionsHostSettings
{
    /// <summary><c>AzureWebJobsStorage</c>: the queues, and the Durable Task hub's queues, tables and blobs.</summary>
    public required string Storage { get; init; }

    public string SqlitePath { get; init; } = Path.Combine(Path.GetTempPath(), $"interflow-host-{Guid.NewGuid():N}.db");

    /// <summary>Settings over those of <c>local.settings.sample.json</c>, by their environment names (<c>Interflow__…</c>).</summary>
    public Dictionary<string, string> Values { get; } = [];

    /// <summary>
    /// Environment variables of the host's process, over the settings file's values: for names a settings file cannot
    /// carry through the host's start script (<c>AzureFunctionsJobHost__logging__logLevel__Host.Results</c>).
    /// </summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Kept across a restart, so that a host started again is the same app (function keys, logs).</summary>
    public string StateDirectory { get; init; } = Directory.CreateTempSubdirectory("interflow-host-").FullName;

    public string MasterKey { get; init; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}

/// <summary>
/// The Functions app's build output run in a Functions host, as <c>func start</c> runs it: the executable named by
/// <c>INTERFLOW_FUNCTIONS_HOST</c> (the interface of <c>shared/tools/functions-host/run.sh</c>: <c>APP_DIR --port N
/// --settings FILE --master-key KEY --state DIR</c>), else Core Tools' <c>func</c> through <c>scripts/func-host.sh</c>.
/// The host's log is kept, so that a test can see which function ran.
/// </summary>
public sealed partial class FunctionsHost : IApiHost, IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> log = [];
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FunctionsHost(Process process, FunctionsHostSettings settings, Uri baseAddress)
    {
        this.process = process;
        Settings = settings;
        BaseAddress = baseAddress;
    }

    /// <summary>The host executable, or null when none is available here.</summary>
    public static string? Executable { get; } = FindExecutable();

    /// <summary>Why host tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => Executable is null
        ? "no Functions host: set INTERFLOW_FUNCTIONS_HOST (e.g. to shared/tools/functions-host/run.sh) or put Core Tools' func on the PATH"
        : null;

    /// <summary>
    /// The app's build output: <c>INTERFLOW_FUNCTIONS_APP</c> (the test command points it at the Release build), else the
    /// build of the configuration these tests were built in.
    /// </summary>
    public static string AppDirectory { get; } = Environment.GetEnvironmentVariable("INTERFLOW_FUNCTIONS_APP") is { Length: > 0 } app
        ? Path.GetFullPath(app, Repository.Root)
        : Repository.Path(Path.Combine("src/Interflow.Functions/bin",
            typeof(FunctionsHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0"));

    public FunctionsHostSettings Settings { get; }

    public Uri BaseAddress { get; }

    /// <summary>The bootstrap account's keys, printed by the app on its first start on an empty store.</summary>
    public string? LiveKey => Find(LiveKeyPattern());

    public string? TestKey => Find(TestKeyPattern());

    /// <summary>The local owner's one-time console sign-in path the app printed at its start.</summary>
    public string? SignInPath => Find(SignInPattern());

    public bool HasExited => process.HasExited;

    /// <summary>The host's log so far.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (log)
            {
                return [.. log];
            }
        }
    }

    /// <summary>The setting that makes the host log each invocation ("Executing 'Functions.Name'"), at Warning in host.json: Information for <see cref="Executions"/>.</summary>
    public const string ExecutionLogSetting = "AzureFunctionsJobHost__logging__logLevel__Function";

    /// <summary>Functions the host executed, in order, from its log ("Executing 'Functions.Name' …"), where <see cref="ExecutionLogSetting"/> lets the host log them.</summary>
    public IReadOnlyList<string> Executions => [.. Log.Select(l => Executing().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    public static async Task<FunctionsHost> StartAsync(FunctionsHostSettings settings, int? port = null, TimeSpan? timeout = null)
    {
        var executable = Executable ?? throw new InvalidOperationException(Unavailable);
        if (!File.Exists(Path.Combine(AppDirectory, "functions.metadata")))
        {
            throw new InvalidOperationException($"the Functions app is not built at {AppDirectory}: dotnet build src/Interflow.Functions -c Release");
        }
        var chosenPort = port ?? LoopbackPorts.Free();
        var settingsFile = Path.Combine(settings.StateDirectory, "local.settings.json");
        await File.WriteAllTextAsync(settingsFile, LocalSettings(settings));
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                AppDirectory, "--port", chosenPort.ToString(CultureInfo.InvariantCulture), "--settings", settingsFile,
                "--master-key", settings.MasterKey, "--state", settings.StateDirectory,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var host = new FunctionsHost(process, settings, new Uri($"http://127.0.0.1:{chosenPort}/"));
        process.OutputDataReceived += (_, line) => host.Append(line.Data);
        process.ErrorDataReceived += (_, line) => host.Append(line.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => host.exited.TrySetResult();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilServingAsync(timeout ?? TimeSpan.FromSeconds(120));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    /// <summary>The host's master key opens its function-level routes, as in Azure.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("x-functions-key", Settings.MasterKey);
        return client;
    }

    /// <summary>SIGKILL to the host and its worker: a crash, with nothing drained or released.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await exited.Task;
    }

    /// <summary>The host's log, for a test's output when something went wrong.</summary>
    public string LogTail(int lines = 80) => string.Join('\n', Log.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM first: the host stops its listeners and the worker; what does not stop in time is killed.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            if (await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(15))) != exited.Task)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        await exited.Task;
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.Add(line);
        }
    }

    private string? Find(Regex pattern) => Log.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success)?.Value;

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the Functions host exited with code {process.ExitCode} before it served; its log:\n{LogTail()}");
            }
            try
            {
                using var response = await client.GetAsync("v1/openapi.json");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the Functions host did not serve within {timeout.TotalSeconds:F0} s; its log:\n{LogTail()}");
    }

    /// <summary>The sample settings a developer copies, with this run's storage, store and overrides.</summary>
    private static string LocalSettings(FunctionsHostSettings settings)
    {
        var sample = JsonNode.Parse(Repository.Read("local.settings.sample.json"))!.AsObject();
        var values = sample["Values"]!.AsObject();
        values["AzureWebJobsStorage"] = settings.Storage;
        values["Interflow__SqlitePath"] = settings.SqlitePath;
        foreach (var (name, value) in settings.Values)
        {
            values[name] = value;
        }
        return sample.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("INTERFLOW_FUNCTIONS_HOST") is { Length: > 0 } named)
        {
            return File.Exists(named) ? Path.GetFullPath(named, Repository.Root) : null;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, "func")));
        return onPath ? Repository.Path("scripts/func-host.sh") : null;
    }

    [GeneratedRegex(@"ifk_live_[A-Za-z0-9]+")]
    private static partial Regex LiveKeyPattern();

    [GeneratedRegex(@"ifk_test_[A-Za-z0-9]+")]
    private static partial Regex TestKeyPattern();

    [GeneratedRegex(@"/console/sign-in\?token=[A-Za-z0-9_-]+")]
    private static partial Regex SignInPattern();

    [GeneratedRegex(@"Executing 'Functions\.(\w+)'")]
    private static partial Regex Executing();
}
