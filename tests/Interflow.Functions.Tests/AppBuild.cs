using System.Text.Json;

namespace Interflow.Functions.Tests;

/// <summary>One binding of a function, as the Worker Sdk wrote it into <c>functions.metadata</c>.</summary>
public sealed record BindingEntry(string Name, string Type, string Direction, string? Route, IReadOnlyList<string> Methods, string? AuthLevel, string? QueueName, string? Connection, string? Schedule);

/// <summary>One function, as the host indexes it from <c>functions.metadata</c>.</summary>
public sealed record FunctionEntry(string Name, string EntryPoint, string ScriptFile, IReadOnlyList<BindingEntry> Bindings)
{
    public BindingEntry Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    public bool IsHttp => Trigger.Type == "httpTrigger";
}

/// <summary>What the real Worker Sdk generated for the host in the app's build output (the folder the host runs).</summary>
public static class AppBuild
{
    public static string Directory => FunctionsHost.AppDirectory;

    public static IReadOnlyList<FunctionEntry> Functions { get; } = ReadFunctions();

    public static JsonElement Extensions => Read("extensions.json");

    public static JsonElement WorkerConfig => Read("worker.config.json");

    public static JsonElement Read(string file)
    {
        var path = Path.Combine(Directory, file);
        Assert.True(File.Exists(path), $"{path} is missing: build the Functions app (dotnet build src/Interflow.Functions -c Release, or the test command)");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static List<FunctionEntry> ReadFunctions() =>
    [
        .. Read("functions.metadata").EnumerateArray().Select(f => new FunctionEntry(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            f.GetProperty("scriptFile").GetString()!,
            [
                .. f.GetProperty("bindings").EnumerateArray().Select(b => new BindingEntry(
                    b.GetProperty("name").GetString()!,
                    b.GetProperty("type").GetString()!,
                    b.GetProperty("direction").GetString()!,
                    Text(b, "route"),
                    b.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())] : [],
                    Text(b, "authLevel"),
                    Text(b, "queueName"),
                    Text(b, "connection"),
                    Text(b, "schedule"))),
            ])),
    ];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
