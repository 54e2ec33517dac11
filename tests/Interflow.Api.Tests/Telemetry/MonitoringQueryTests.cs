using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Interflow.Core.Telemetry;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Telemetry;

/// <summary>
/// The alerts and the workbook deployed with the app (infra/monitoring) query what the code emits: every metric name
/// is an instrument of <see cref="InterflowTelemetry"/>, every span name one the workload exported, every dimension
/// an attribute the code sets; and every instrument is charted.
/// </summary>
[Collection(TelemetryWorkloadCollection.Name)]
public sealed partial class MonitoringQueryTests(TelemetryWorkload workload)
{
    private static readonly string[] Instruments = [.. typeof(InterflowTelemetry).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => typeof(Instrument).IsAssignableFrom(f.FieldType)).Select(f => ((Instrument)f.GetValue(null)!).Name)];

    private static readonly string[] Attributes = [.. typeof(InterflowTelemetry.Tags).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)];

    /// <summary>Each query of the alerts and of the workbook, by where it is.</summary>
    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        foreach (var alert in JsonDocument.Parse(Repository.Read("infra/monitoring/alerts.json")).RootElement.GetProperty("alerts").EnumerateArray())
        {
            data.Add($"alert {alert.GetProperty("name").GetString()}", alert.GetProperty("query").GetString()!);
        }
        foreach (var item in JsonDocument.Parse(Repository.Read("infra/monitoring/workbook.json")).RootElement.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("content").TryGetProperty("query", out var query))
            {
                data.Add($"workbook {item.GetProperty("name").GetString()}", query.GetString()!);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void A_query_reads_only_names_and_attributes_the_code_emits(string where, string query)
    {
        var table = query.Split('\n')[0].Trim();
        var names = NamesIn(query);

        Assert.Contains(table, new[] { "AppMetrics", "AppDependencies", "AppRequests" });
        Assert.True(table == "AppRequests" || names.Count > 0, $"{where} names no metric or span");
        var emitted = table == "AppMetrics" ? Instruments : [.. workload.Capture.Spans.Select(s => s.DisplayName).Distinct()];
        Assert.All(names, name => Assert.True(emitted.Contains(name), $"{where} reads {name}, which the code does not emit"));
        Assert.All(Property().Matches(query).Select(m => m.Groups[1].Value), key => Assert.True(Attributes.Contains(key), $"{where} reads attribute {key}, which the code never sets"));
    }

    [Fact]
    public void Every_instrument_is_charted_in_the_workbook()
    {
        var charted = Queries().SelectMany(row => NamesIn((string)row[1])).ToHashSet();

        Assert.All(Instruments, instrument => Assert.Contains(instrument, charted));
    }

    private static List<string> NamesIn(string query) =>
    [
        .. NameEquals().Matches(query).Select(m => m.Groups[1].Value),
        .. NameIn().Matches(query).SelectMany(m => Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)),
    ];

    [GeneratedRegex(@"\bName == ""([^""]+)""")]
    private static partial Regex NameEquals();

    [GeneratedRegex(@"\bName in \(([^)]*)\)")]
    private static partial Regex NameIn();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"Properties\[""([^""]+)""\]")]
    private static partial Regex Property();
}
