using System.Reflection;
using System.Text.RegularExpressions;
using Interflow.Api.Http;

namespace Interflow.Functions.Tests;

/// <summary>Every route of the table has exactly one HTTP function with its name, method, template and access, and no function serves anything else.</summary>
public sealed partial class HttpFunctionsTests
{
    private sealed record DeclaredFunction(string Name, string Level, string Method, string RouteConstant, string RouteField);

    private static readonly IReadOnlyList<DeclaredFunction> Declared = ReadDeclaredFunctions();

    [Fact]
    public void Every_route_has_one_matching_function()
    {
        foreach (var route in ApiRouteTable.All)
        {
            var function = Assert.Single(Declared, f => f.Name == route.Name);
            Assert.Equal(route.Method.ToLowerInvariant(), function.Method);
            Assert.Equal(route.Template, ResolveConstant(function.RouteConstant));
            Assert.Same(route, ResolveRoute(function.RouteField));
            Assert.Equal(route.Access == RouteAccess.Admin ? "Function" : "Anonymous", function.Level);
        }
    }

    [Fact]
    public void No_function_serves_a_route_outside_the_table()
    {
        Assert.Equal(ApiRouteTable.All.Select(r => r.Name).Order(), Declared.Select(f => f.Name).Order());
    }

    [Fact]
    public void Unmatched_paths_are_caught_and_answered_by_the_pipeline()
    {
        var source = Normalize(Repository.Read("src/Interflow.Functions/Http/UnmatchedFunction.cs"));

        Assert.Contains("Route = \"{*path}\"", source);
        Assert.Contains("api.RunUnmatched(request.HttpContext)", source);
    }

    [Fact]
    public void Every_consumed_queue_has_a_trigger_and_host_json_matches_the_message_format()
    {
        var source = Normalize(Repository.Read("src/Interflow.Functions/Queues/QueueFunctions.cs"));
        var triggered = QueueTrigger().Matches(source)
            .Select(m => (string)typeof(Interflow.Infrastructure.Queues.QueueNames).GetField(m.Groups[1].Value)!.GetRawConstantValue()!);
        // Only the handler table is read: an instance without its services will do.
        var consumers = (Interflow.Infrastructure.Queues.QueueConsumers)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(
            typeof(Interflow.Infrastructure.Queues.QueueConsumers));
        var consumed = consumers.Handlers.Keys;
        var queues = System.Text.Json.JsonDocument.Parse(Repository.Read("host.json")).RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal(consumed.Order(), triggered.Order());
        // StorageQueues sends plain JSON text, not base64.
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public void Host_json_serves_routes_as_the_table_writes_them()
    {
        var host = System.Text.Json.JsonDocument.Parse(Repository.Read("host.json")).RootElement;

        // Routes carry their own "v1/" so that the admin surface can live outside /v1.
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.All(ApiRouteTable.All, r => Assert.False(r.Template.StartsWith("admin/", StringComparison.Ordinal), "the Functions host reserves admin/"));
    }

    private static IReadOnlyList<DeclaredFunction> ReadDeclaredFunctions()
    {
        var directory = Path.Combine(Repository.Root, "src/Interflow.Functions/Http");
        var functions = new List<DeclaredFunction>();
        foreach (var file in Directory.GetFiles(directory, "*.cs"))
        {
            foreach (Match match in FunctionPattern().Matches(Normalize(File.ReadAllText(file))))
            {
                functions.Add(new DeclaredFunction(
                    match.Groups["name"].Value, match.Groups["level"].Value, match.Groups["method"].Value,
                    match.Groups["template"].Value, match.Groups["route"].Value));
            }
        }
        return functions;
    }

    private static string Normalize(string source) => WhiteSpace().Replace(source, " ");

    private static string ResolveConstant(string qualified)
    {
        var (type, member) = Split(qualified);
        return (string)type.GetField(member, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
    }

    private static ApiRoute ResolveRoute(string qualified)
    {
        var (type, member) = Split(qualified);
        return (ApiRoute)type.GetField(member, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    private static (Type Type, string Member) Split(string qualified)
    {
        var dot = qualified.LastIndexOf('.');
        var typeName = qualified[..dot];
        var type = typeof(ApiRoute).Assembly.GetTypes().Single(t => t.Name == typeName);
        return (type, qualified[(dot + 1)..]);
    }

    [GeneratedRegex("""\[Function\("(?<name>\w+)"\)\] public Task<IResult> \w+\( \[HttpTrigger\(AuthorizationLevel\.(?<level>\w+), "(?<method>\w+)", Route = (?<template>\w+\.\w+)\)\] HttpRequest request\) => api\.RunAsync\(request\.HttpContext, (?<route>\w+\.\w+)\);""")]
    private static partial Regex FunctionPattern();

    [GeneratedRegex(@"\[QueueTrigger\(QueueNames\.(\w+),")]
    private static partial Regex QueueTrigger();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
