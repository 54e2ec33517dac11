using System.Net;
using System.Net.Sockets;

namespace Interflow.Docs.Tests;

/// <summary>What <c>scripts/run.sh</c> says when it cannot run: one line that names the cause and the way out, before it installs or builds anything.</summary>
public sealed class RunScriptRefusalTests : IDisposable
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);
    private readonly FreshClone clone = FreshClone.Create();

    [Fact]
    public async Task A_port_in_use_is_named_with_the_variable_that_moves_it()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var run = RunScript.Start(clone.Root, new Dictionary<string, string?> { ["INTERFLOW_PORT"] = $"{port}" });

        Assert.Equal(1, await run.WaitForExitAsync(Quick));
        Assert.Equal([$"run.sh: port {port} is in use by another program: stop it, or run on another port, e.g. INTERFLOW_PORT={port + 1} bash scripts/run.sh"], run.Output);
        Assert.False(Directory.Exists(clone.Path("node_modules")), "it installed before refusing");
    }

    [Fact]
    public async Task A_port_of_azurite_held_by_another_program_is_named_with_the_variable_that_moves_azurite()
    {
        var first = RunScriptTests.FreeRange(3);
        using var taken = new TcpListener(IPAddress.Loopback, first + 1);
        taken.Start();

        await using var run = RunScript.Start(clone.Root, new Dictionary<string, string?>
        {
            ["INTERFLOW_PORT"] = $"{LoopbackPorts.Free()}",
            ["INTERFLOW_AZURITE_PORT"] = $"{first}",
        });

        Assert.Equal(1, await run.WaitForExitAsync(Quick));
        var line = Assert.Single(run.Output);
        Assert.StartsWith($"run.sh: port {first + 1} is in use by another program (Azurite takes {first}-{first + 2})", line);
        Assert.EndsWith($"INTERFLOW_AZURITE_PORT={first + 10} bash scripts/run.sh", line);
    }

    [Fact]
    public async Task An_unreachable_storage_is_one_line_naming_the_connection_it_tried()
    {
        var closed = LoopbackPorts.Free();
        var endpoint = $"http://127.0.0.1:{closed}/devstoreaccount1";

        await using var run = RunScript.Start(clone.Root, new Dictionary<string, string?>
        {
            ["INTERFLOW_PORT"] = $"{LoopbackPorts.Free()}",
            ["INTERFLOW_FUNCTIONS_HOST"] = null,
            ["INTERFLOW_STORAGE"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint={endpoint};",
        });

        Assert.Equal(1, await run.WaitForExitAsync(Quick));
        Assert.Equal(
            $"run.sh: cannot reach the queue storage at {endpoint} named by INTERFLOW_STORAGE: start it, or unset INTERFLOW_STORAGE to let run.sh start Azurite",
            run.Output[^1]);
        Assert.DoesNotContain(run.Output, l => l.Contains("Exception", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    public void Dispose() => clone.Dispose();
}
