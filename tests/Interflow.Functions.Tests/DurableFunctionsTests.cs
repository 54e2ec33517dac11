using System.Text.RegularExpressions;
using Interflow.Core.Bulk;
using Interflow.Infrastructure.Queues;

namespace Interflow.Functions.Tests;

/// <summary>
/// The bulk orchestration as the Functions host indexes it: function-based durable functions whose names line up
/// (every activity the orchestrator calls exists, every activity is called, the starter schedules an orchestrator),
/// each activity one call into <see cref="BulkSends"/>, and an orchestrator free of I/O, clocks and randomness.
/// </summary>
public sealed partial class DurableFunctionsTests
{
    private static readonly string Source = Normalize(string.Concat(
        Directory.GetFiles(Path.Combine(Repository.Root, "src/Interflow.Functions/Orchestrations"), "*.cs").Select(File.ReadAllText)));

    [Fact]
    public void Every_activity_the_orchestrator_calls_is_declared_and_every_declared_activity_is_called()
    {
        var declared = Activity().Matches(Source).Select(m => m.Groups["name"].Value).ToList();
        var called = CallActivity().Matches(Source).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared.Order(), called.Order());
    }

    [Fact]
    public void Each_activity_is_named_after_its_method_and_is_one_call_into_bulk_sends()
    {
        foreach (Match activity in Activity().Matches(Source))
        {
            Assert.Equal(activity.Groups["name"].Value, activity.Groups["method"].Value);
            Assert.Equal(nameof(BulkJobRef), activity.Groups["input"].Value);
            var step = typeof(BulkSends).GetMethod(activity.Groups["call"].Value);
            Assert.True(step is not null, $"BulkSends.{activity.Groups["call"].Value} does not exist");
            Assert.Equal([typeof(BulkJobRef), typeof(CancellationToken)], step.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void The_starter_schedules_the_declared_orchestrator_from_the_bulk_jobs_queue()
    {
        var orchestrators = Orchestrator().Matches(Source).Select(m => m.Groups[1].Value).ToList();
        var scheduled = Schedule().Matches(Source).Select(m => m.Groups[1].Value).ToList();

        Assert.Single(orchestrators);
        Assert.Equal(orchestrators, scheduled);
        Assert.Contains($"[QueueTrigger(QueueNames.{nameof(QueueNames.BulkJobs)}, Connection = \"AzureWebJobsStorage\")] string message, [DurableClient] DurableTaskClient client", Source);
    }

    [Fact]
    public void The_orchestrator_is_deterministic_and_does_no_io()
    {
        var body = OrchestratorBody().Match(Source);

        Assert.True(body.Success, "orchestrator body not found");
        foreach (var forbidden in new[] { "DateTime.Now", "DateTime.UtcNow", "DateTimeOffset.Now", "DateTimeOffset.UtcNow", "Guid.NewGuid", "Task.Delay", "TimeProvider", "Random", "bulk.", "await using", "HttpClient" })
        {
            Assert.DoesNotContain(forbidden, body.Value);
        }
        Assert.Contains("context.CurrentUtcDateTime", body.Value);
        Assert.Contains("context.ContinueAsNew(job)", body.Value);
    }

    [Fact]
    public void No_durable_function_is_class_based()
    {
        var all = string.Concat(Directory.GetFiles(Path.Combine(Repository.Root, "src/Interflow.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        Assert.DoesNotMatch(ClassBased(), all);
        Assert.DoesNotContain("Microsoft.DurableTask.Generators", Repository.Read("src/Interflow.Functions/Interflow.Functions.csproj"));
        Assert.DoesNotContain("Microsoft.DurableTask.Generators", Repository.Read("Directory.Packages.props"));
    }

    private static string Normalize(string source) => WhiteSpace().Replace(source, " ");

    [GeneratedRegex("""\[Function\(nameof\((?<name>\w+)\)\)\] public Task(?:<\w+>)? (?<method>\w+)\(\[ActivityTrigger\] (?<input>\w+) job, CancellationToken cancellationToken\) => bulk\.(?<call>\w+)\(job, cancellationToken\);""")]
    private static partial Regex Activity();

    [GeneratedRegex("""\[Function\(nameof\((\w+)\)\)\] public static async Task<\w+> \w+\(\[OrchestrationTrigger\] TaskOrchestrationContext context\)""")]
    private static partial Regex Orchestrator();

    [GeneratedRegex("""\[OrchestrationTrigger\] TaskOrchestrationContext context\) \{.*?return "continued"; \}""")]
    private static partial Regex OrchestratorBody();

    [GeneratedRegex("""CallActivityAsync(?:<\w+>)?\(nameof\((\w+)\)""")]
    private static partial Regex CallActivity();

    [GeneratedRegex("""ScheduleNewOrchestrationInstanceAsync\( nameof\((\w+)\)""")]
    private static partial Regex Schedule();

    [GeneratedRegex("""\[DurableTask[\(\]]""")]
    private static partial Regex ClassBased();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
