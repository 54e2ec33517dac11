using System.Diagnostics;

namespace Interflow.TestServer;

/// <summary>
/// The repository as a newcomer gets it: what a clone holds (the tracked files, and while a change is being made the
/// files it adds), in a new folder outside the repository, with nothing installed, built or run in it.
/// </summary>
public sealed class FreshClone : IDisposable
{
    private FreshClone(string root) => Root = root;

    public string Root { get; }

    public static FreshClone Create()
    {
        var root = Directory.CreateTempSubdirectory("interflow-newcomer-").FullName;
        foreach (var file in TrackedFiles())
        {
            var source = Repository.Path(file);
            if (!File.Exists(source))
            {
                continue; // Deleted by the change being made: a clone of it would not hold it.
            }
            var target = System.IO.Path.Combine(root, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        return new FreshClone(root);
    }

    public string Path(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    private static string[] TrackedFiles()
    {
        var start = new ProcessStartInfo("git") { ArgumentList = { "-C", Repository.Root, "ls-files", "-z", "--cached", "--others", "--exclude-standard" }, RedirectStandardOutput = true };
        using var git = Process.Start(start)!;
        var files = git.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        return git.ExitCode == 0 ? files : throw new InvalidOperationException("git ls-files failed in " + Repository.Root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process of a failed test may still hold a file; the temporary folder is left to the system.
        }
    }
}
