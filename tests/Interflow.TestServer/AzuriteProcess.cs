using System.Diagnostics;

namespace Interflow.TestServer;

/// <summary>
/// An Azurite of a test's own, from the repository's npm packages, on free loopback ports and a fresh data folder: a
/// fresh storage account that the test can also take away.
/// <para>On disk rather than <c>--inMemoryPersistence</c>: in memory every queue message body is an extent of its own, and
/// Azurite's queue GC (every minute) deletes the dead ones one by one with a scan each, blocking its event loop for
/// tens of seconds once a few thousand messages have come and gone (measured: 5,827 extents, 29.5 s). Receives lost
/// to that stall keep their messages invisible: 30 s on the test server, 10 minutes in the Functions host. On disk,
/// messages share large extent files and the same GC takes a millisecond.</para>
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process process;
    private bool disposed;

    private readonly DirectoryInfo data;

    private AzuriteProcess(Process process, DirectoryInfo data, string connectionString)
    {
        this.process = process;
        this.data = data;
        ConnectionString = connectionString;
    }

    /// <summary>Blob, queue and table endpoints (the Functions host keeps its Durable Task hub in all three).</summary>
    public string ConnectionString { get; }

    public static async Task<AzuriteProcess> StartAsync()
    {
        int[] ports = [LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free()];
        var data = Directory.CreateTempSubdirectory("interflow-azurite-");
        var start = new ProcessStartInfo(Repository.Path("node_modules/.bin/azurite"))
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--location", data.FullName,
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", $"{ports[0]}", "--queuePort", $"{ports[1]}", "--tablePort", $"{ports[2]}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        foreach (var port in ports)
        {
            await LoopbackPorts.WaitForListenerAsync(port, TimeSpan.FromSeconds(30));
        }
        return new AzuriteProcess(process, data,
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;");
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        data.Delete(recursive: true);
    }
}
