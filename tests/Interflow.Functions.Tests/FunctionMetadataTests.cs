using System.Reflection;
using Interflow.Api.Http;
using Interflow.Core.Bulk;
using Interflow.Core.Events;
using Interflow.Functions.Orchestrations;
using Interflow.Infrastructure.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Tests;

/// <summary>
/// What the host will index (the Worker Sdk's <c>functions.metadata</c>, <c>extensions.json</c>, <c>worker.config.json</c>
/// in the app's build output) against what the app means to serve: the route table and its catch-alls, the consumed
/// queues, the relay timer and the bulk orchestration; and each function in the compiled assembly one call into the
/// host-agnostic layers.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly Assembly App = typeof(Http.CustomersFunctions).Assembly;

    private static FunctionEntry Function(string name) =>
        AppBuild.Functions.SingleOrDefault(f => f.Name == name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in functions.metadata");

    [Fact]
    public void Every_route_of_the_table_is_one_http_function_with_its_template_method_and_auth_level()
    {
        foreach (var route in ApiRouteTable.All)
        {
            var trigger = Function(route.Name).Trigger;
            Assert.Equal("httpTrigger", trigger.Type);
            Assert.Equal(route.Template, trigger.Route);
            Assert.Equal([route.Method], trigger.Methods);
            Assert.Equal(route.Access == RouteAccess.Admin ? "Function" : "Anonymous", trigger.AuthLevel);
        }
    }

    [Fact]
    public void The_http_functions_are_exactly_the_routes_and_the_catch_alls()
    {
        var expected = ApiRouteTable.All.Select(r => r.Name).Concat(UnmatchedRoutes.All.Select(u => u.Name)).Order();

        Assert.Equal(expected, AppBuild.Functions.Where(f => f.IsHttp).Select(f => f.Name).Order());
        foreach (var unmatched in UnmatchedRoutes.All)
        {
            var trigger = Function(unmatched.Name).Trigger;
            Assert.Equal(unmatched.Template, trigger.Route);
            Assert.Equal(unmatched.Methods, trigger.Methods);
            Assert.Equal("Anonymous", trigger.AuthLevel);
        }
    }

    [Fact]
    public void Each_http_function_hands_its_own_route_to_the_pipeline_and_nothing_else()
    {
        var routes = ApiRouteTable.All.ToDictionary(r => r.Name);
        foreach (var method in FunctionMethods().Where(m => m.DeclaringType!.Namespace == "Interflow.Functions.Http"))
        {
            var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            var body = MethodBodies.Of(method);
            var calls = body.Calls.Where(m => m.DeclaringType == typeof(ApiPipeline)).Select(m => m.Name).ToList();
            if (routes.TryGetValue(name, out var route))
            {
                Assert.Equal([nameof(ApiPipeline.RunAsync)], calls);
                var handed = body.Fields.Where(f => f.FieldType == typeof(ApiRoute)).Select(f => f.GetValue(null)).ToList();
                Assert.True(handed.Count == 1 && ReferenceEquals(handed[0], route), $"{name} must hand {route.Name}'s route to the pipeline");
            }
            else
            {
                Assert.Contains(UnmatchedRoutes.All, u => u.Name == name);
                Assert.Equal([nameof(ApiPipeline.RunUnmatched)], calls);
            }
        }
    }

    [Fact]
    public void Every_queue_poison_queues_included_has_one_trigger_on_the_host_storage_and_host_json_reads_plain_text()
    {
        // Only the handler table is read: an instance without its services will do.
        var consumers = (QueueConsumers)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(QueueConsumers));
        var triggers = AppBuild.Functions.Where(f => f.Trigger.Type == "queueTrigger").Select(f => f.Trigger).ToList();
        var queues = AppBuild.Read("host.json").GetProperty("extensions").GetProperty("queues");

        Assert.Equal(consumers.Handlers.Keys.Append(QueueNames.BulkJobs).Order(), triggers.Select(t => t.QueueName!).Order());
        // Nothing waits in a queue nobody reads: every poison queue has its answer.
        Assert.Equal(QueueNames.All.Order(), triggers.Select(t => t.QueueName!).Order());
        Assert.All(triggers, t => Assert.Equal("AzureWebJobsStorage", t.Connection));
        // StorageQueues sends plain JSON text, not base64.
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public void Each_queue_function_is_one_call_into_its_consumer()
    {
        var consumers = (QueueConsumers)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(QueueConsumers));
        foreach (var method in FunctionMethods().Where(m => m.DeclaringType == typeof(Queues.QueueFunctions)))
        {
            var queue = method.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).Single(a => a is not null)!.QueueName;
            var body = MethodBodies.Of(method);
            Assert.Equal([nameof(QueueConsumers.HandleAsync)], body.Calls.Where(m => m.DeclaringType == typeof(QueueConsumers)).Select(m => m.Name));
            Assert.Equal([queue], body.Strings);
            Assert.True(consumers.Handlers.ContainsKey(queue), $"no consumer handles {queue}");
        }
    }

    [Fact]
    public void The_relay_sweep_runs_every_minute()
    {
        var trigger = Function("EventRelaySweep").Trigger;

        Assert.Equal("timerTrigger", trigger.Type);
        Assert.Equal("0 */1 * * * *", trigger.Schedule);
        var sweep = FunctionMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()!.Name == "EventRelaySweep");
        Assert.Contains(MethodBodies.Of(sweep).Calls, m => m.Name == nameof(EventRelay.SweepAsync) && m.DeclaringType == typeof(EventRelay));
    }

    [Fact]
    public void The_bulk_orchestration_is_indexed_function_based_with_its_activities_and_durable_client()
    {
        var orchestrator = Function(nameof(BulkSendOrchestration.BulkSendOrchestrator));
        var starter = Function(nameof(BulkSendOrchestration.BulkJobStarter));
        var activities = AppBuild.Functions.Where(f => f.Trigger.Type == "activityTrigger").Select(f => f.Name).Order().ToList();

        Assert.Equal("orchestrationTrigger", orchestrator.Trigger.Type);
        Assert.Equal([nameof(BulkSendOrchestration.EnqueueBulkChunks), nameof(BulkSendOrchestration.RefreshBulkProgress)], activities);
        Assert.Equal(QueueNames.BulkJobs, starter.Trigger.QueueName);
        Assert.Contains(starter.Bindings, b => b.Type == "durableClient");
        Assert.DoesNotContain(App.GetTypes(), t => t.GetCustomAttributes().Any(a => a.GetType().Name == "DurableTaskAttribute"));
    }

    [Fact]
    public void Each_activity_is_named_after_its_method_takes_a_job_and_is_one_call_into_bulk_sends()
    {
        foreach (var method in FunctionMethods().Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null)))
        {
            Assert.Equal(method.Name, method.GetCustomAttribute<FunctionAttribute>()!.Name);
            Assert.Equal(typeof(BulkJobRef), method.GetParameters()[0].ParameterType);
            var calls = MethodBodies.Of(method).Calls.Where(m => m.DeclaringType == typeof(BulkSends)).ToList();
            var call = Assert.Single(calls);
            Assert.Equal([typeof(BulkJobRef), typeof(CancellationToken)], call.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void The_orchestrator_calls_only_declared_activities_and_reads_time_only_from_its_context()
    {
        var orchestrator = typeof(BulkSendOrchestration).GetMethod(nameof(BulkSendOrchestration.BulkSendOrchestrator))!;
        var body = MethodBodies.Of(orchestrator);
        var called = body.Calls.ToList();

        // Replay determinism: no clock, randomness, delay or I/O of its own; everything else goes through activities.
        Assert.DoesNotContain(called, m => m.DeclaringType == typeof(DateTime) && m.Name is "get_Now" or "get_UtcNow" or "get_Today");
        Assert.DoesNotContain(called, m => m.DeclaringType == typeof(DateTimeOffset) && m.Name is "get_Now" or "get_UtcNow");
        Assert.DoesNotContain(called, m => m.DeclaringType == typeof(Guid) && m.Name == nameof(Guid.NewGuid));
        Assert.DoesNotContain(called, m => m.DeclaringType == typeof(Task) && m.Name is nameof(Task.Delay) or nameof(Task.Run));
        Assert.DoesNotContain(called, m => m.DeclaringType is { } t && (t == typeof(Random) || t == typeof(TimeProvider) || t == typeof(Thread) || t == typeof(HttpClient)));
        Assert.DoesNotContain(called, m => m.DeclaringType?.Namespace?.StartsWith("Interflow", StringComparison.Ordinal) == true);
        Assert.Contains(called, m => m.Name == "get_CurrentUtcDateTime");
        Assert.Contains(called, m => m.Name == "ContinueAsNew");
        // Activities are named by nameof, so the names it calls are string literals of declared activities.
        var activities = AppBuild.Functions.Where(f => f.Trigger.Type == "activityTrigger").Select(f => f.Name).ToHashSet();
        Assert.Superset(activities, body.Strings.ToHashSet());
    }

    [Fact]
    public void The_host_loads_the_extensions_the_triggers_need_and_starts_the_worker_from_the_app()
    {
        var extensions = AppBuild.Extensions.GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        var worker = AppBuild.WorkerConfig.GetProperty("description");

        Assert.Contains("AzureStorageQueues", extensions);
        Assert.Contains("DurableTask", extensions);
        Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
        Assert.Equal("Interflow.Functions.dll", worker.GetProperty("defaultWorkerPath").GetString());
        Assert.True(File.Exists(Path.Combine(AppBuild.Directory, worker.GetProperty("defaultWorkerPath").GetString()!)));
        Assert.All(AppBuild.Functions, f => Assert.Equal("Interflow.Functions.dll", f.ScriptFile));
        foreach (var hint in AppBuild.Extensions.GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("hintPath").GetString()!))
        {
            Assert.True(File.Exists(Path.Combine(AppBuild.Directory, hint)), $"extension {hint} is missing from the build output");
        }
    }

    [Fact]
    public void The_functions_project_holds_only_its_entry_point_http_queues_and_orchestrations()
    {
        var namespaces = App.GetTypes().Where(t => t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null && t.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>() is null && t.Namespace?.StartsWith("Interflow", StringComparison.Ordinal) == true)
            .Select(t => t.Namespace!).Distinct().Order();

        Assert.Equal(["Interflow.Functions.Http", "Interflow.Functions.Orchestrations", "Interflow.Functions.Queues"], namespaces);
        Assert.Equal(FunctionMethods().Count(), AppBuild.Functions.Count);
    }

    private static IEnumerable<MethodInfo> FunctionMethods() =>
        App.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);
}
