namespace Interflow.TestServer;

/// <summary>
/// The browser the page tests drive: the Debian package <c>chromium</c> (scripts/test.sh installs it and sets
/// <c>INTERFLOW_CHROMIUM</c>), or one on the PATH; and where their screenshots go.
/// </summary>
public static class Chromium
{
    /// <summary>The browser's executable, or null when there is none here.</summary>
    public static string? Executable()
    {
        if (Environment.GetEnvironmentVariable("INTERFLOW_CHROMIUM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"INTERFLOW_CHROMIUM={configured} does not exist");
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" }
            .SelectMany(name => path.Select(directory => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    public const string Missing = "no Chromium here: install the Debian package chromium (scripts/test.sh does) or set INTERFLOW_CHROMIUM";

    /// <summary>The test results folder (<c>INTERFLOW_TEST_RESULTS</c>, set by scripts/test.sh), where screenshots are kept.</summary>
    public static string ResultsDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("INTERFLOW_TEST_RESULTS") is { Length: > 0 } results ? results : Path.GetFullPath("TestResults");
        Directory.CreateDirectory(directory);
        return directory;
    }
}
