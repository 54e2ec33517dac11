using System.Diagnostics;

namespace Interflow.Docs.Tests;

/// <summary>Which runtime <c>scripts/run.sh</c> should choose on this machine, by its own order of preference.</summary>
public static class RunPath
{
    public const string Func = "under func start";
    public const string Host = "in the Functions host";
    public const string Server = "on the standalone server";

    /// <summary>The Functions host the test command names (.ci/run sets it where the build machines have one), if any.</summary>
    public static string? NamedHost { get; } = Environment.GetEnvironmentVariable("INTERFLOW_FUNCTIONS_HOST") is { Length: > 0 } host ? host : null;

    /// <summary>Core Tools are on the PATH, or can be installed (their download site answers).</summary>
    public static bool FuncAvailable { get; } = OnPath("func") || CoreToolsDownloadAnswers();

    public static string Expected(bool hostNamed) => FuncAvailable ? Func : hostNamed ? Host : Server;

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, command)));

    private static bool CoreToolsDownloadAnswers()
    {
        using var curl = Process.Start(new ProcessStartInfo("curl", ["-s", "-m", "5", "-o", "/dev/null", "https://cdn.functions.azure.com/public/"]))!;
        curl.WaitForExit();
        return curl.ExitCode == 0;
    }
}
