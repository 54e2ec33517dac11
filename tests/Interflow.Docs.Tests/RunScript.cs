using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Interflow.Docs.Tests;

/// <summary>
/// <c>bash scripts/run.sh</c> as a user runs it in a terminal, in a folder of the test's: its output kept line by line,
/// and Ctrl+C as the terminal sends it (SIGINT).
/// </summary>
public sealed partial class RunScript : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;
    private readonly List<string> output = [];
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunScript(Process process, string folder)
    {
        this.process = process;
        this.folder = folder;
    }

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (output)
            {
                return [.. output];
            }
        }
    }

    public string Text => string.Join('\n', Output);

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <param name="environment">Variables to set; a null value removes one (e.g. INTERFLOW_FUNCTIONS_HOST, which .ci/run sets).</param>
    public static RunScript Start(string folder, IReadOnlyDictionary<string, string?> environment)
    {
        // A terminal's SIGINT is at its default; a test runner started in the background ignores it, which every child
        // would inherit and bash could not trap. python3 puts it back before it becomes the script.
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { "-c", "import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp('bash', ['bash', 'scripts/run.sh'])" },
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        var process = Process.Start(start)!;
        var script = new RunScript(process, folder);
        process.OutputDataReceived += (_, line) => script.Append(line.Data);
        process.ErrorDataReceived += (_, line) => script.Append(line.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => script.exited.TrySetResult();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return script;
    }

    /// <summary>The first line matching <paramref name="pattern"/>, once printed; fails with the output if the script ends or the time runs out first.</summary>
    public async Task<Match> WaitForAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Output.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                return match;
            }
            if (exited.Task.IsCompleted)
            {
                await Task.Delay(200); // Its last lines.
                if (Output.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } last)
                {
                    return last;
                }
                throw new Xunit.Sdk.XunitException($"run.sh exited ({process.ExitCode}) before printing /{pattern}/:\n{Text}\n{AppLogTail()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"run.sh did not print /{pattern}/ within {timeout}:\n{Text}\n{AppLogTail()}");
            }
            await Task.Delay(250);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(exited.Task, Task.Delay(timeout)) != exited.Task)
        {
            throw new Xunit.Sdk.XunitException($"run.sh did not exit within {timeout}:\n{Text}");
        }
        await Task.Delay(200);
        return process.ExitCode;
    }

    /// <summary>Ctrl+C: SIGINT to the script, then its exit code once it has stopped what it started.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        return await WaitForExitAsync(timeout);
    }

    /// <summary>
    /// Processes still running that name the folder in their command line (the server's store, Azurite's data, the
    /// worker) or their environment (the Functions host's script root).
    /// </summary>
    public static IReadOnlyList<(int Id, string CommandLine)> ProcessesIn(string folder) =>
        [.. Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(System.IO.Path.GetFileName(d), out _))
            .Select(d => (Id: int.Parse(System.IO.Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture), CommandLine: ReadProc(d, "cmdline"), Environment: ReadProc(d, "environ")))
            .Where(p => p.CommandLine.Contains(folder, StringComparison.Ordinal) || p.Environment.Contains(folder, StringComparison.Ordinal))
            .Select(p => (p.Id, p.CommandLine))];

    private static string ReadProc(string process, string file)
    {
        try
        {
            return File.ReadAllText(System.IO.Path.Combine(process, file)).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ""; // Gone meanwhile, or another user's.
        }
    }

    private string AppLogTail()
    {
        var log = System.IO.Path.Combine(folder, ".artifacts/run/app.log");
        return File.Exists(log) ? "app.log:\n" + string.Join('\n', File.ReadLines(log).TakeLast(40)) : "(no app.log)";
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.Add(line);
        }
    }

    /// <summary>A test that failed midway leaves nothing running: Ctrl+C, then whatever still runs in its folder is killed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                await InterruptAsync(TimeSpan.FromSeconds(45));
            }
            catch (Xunit.Sdk.XunitException)
            {
                process.Kill();
            }
        }
        foreach (var (id, _) in ProcessesIn(folder))
        {
            try
            {
                Process.GetProcessById(id).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }
        process.Dispose();
    }
}
