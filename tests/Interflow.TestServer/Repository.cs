namespace Interflow.TestServer;

/// <summary>Files of this repository, found from the test binaries upwards.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(Path(relativePath));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Interflow.Functions.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
