using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Interflow.TestServer;

/// <summary>
/// A test server's telemetry as exported, kept in memory (OpenTelemetry's in-memory exporter): the spans, the metric
/// points at the last collection, and every log line with its values. Given to <see cref="TestServerSettings.Telemetry"/>.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly SynchronizedCollection<Activity> spans = [];
    private readonly SynchronizedCollection<MetricSnapshot> metrics = [];
    private readonly SynchronizedCollection<string> logs = [];
    private MeterProvider? meters;

    public IReadOnlyList<Activity> Spans => spans.Snapshot();

    public IReadOnlyList<string> Logs => logs.Snapshot();

    /// <summary>Puts the in-memory exporters beside whatever the composition registered.</summary>
    internal void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        services.ConfigureOpenTelemetryMeterProvider(metering => metering.AddInMemoryExporter(metrics));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new LogLines(logs)));
        services.Configure<OpenTelemetryLoggerOptions>(options =>
        {
            options.IncludeFormattedMessage = true;
            options.IncludeScopes = true;
        });
    }

    internal void Attach(IServiceProvider services) => meters = services.GetRequiredService<MeterProvider>();

    /// <summary>The points of every instrument as collected now.</summary>
    public IReadOnlyList<MetricSnapshot> CollectMetrics()
    {
        metrics.Clear();
        (meters ?? throw new InvalidOperationException("the server has not started")).ForceFlush();
        return metrics.Snapshot();
    }

    /// <summary>A counter's total over the points whose tags include all of <paramref name="tags"/> (cumulative since start).</summary>
    public long Sum(string instrument, params (string Key, object? Value)[] tags) =>
        CollectMetrics().Where(m => m.Name == instrument)
            .SelectMany(m => m.MetricPoints)
            .Where(point => tags.All(tag => TagsOf(point).Any(t => t.Key == tag.Key && Equals(t.Value?.ToString(), tag.Value?.ToString()))))
            .Sum(point => point.GetSumLong());

    /// <summary>A histogram's count of recordings over the points whose tags include all of <paramref name="tags"/>.</summary>
    public long Recordings(string instrument, params (string Key, object? Value)[] tags) =>
        CollectMetrics().Where(m => m.Name == instrument)
            .SelectMany(m => m.MetricPoints)
            .Where(point => tags.All(tag => TagsOf(point).Any(t => t.Key == tag.Key && Equals(t.Value?.ToString(), tag.Value?.ToString()))))
            .Sum(point => point.GetHistogramCount());

    /// <summary>Everything exported as text, to look for what must never be there: names, attributes, events, metric tags and log lines.</summary>
    public IEnumerable<string> AllText()
    {
        foreach (var span in Spans)
        {
            yield return span.DisplayName;
            yield return span.StatusDescription ?? "";
            foreach (var tag in span.TagObjects)
            {
                yield return $"{tag.Key}={tag.Value}";
            }
            foreach (var spanEvent in span.Events)
            {
                yield return spanEvent.Name;
                foreach (var tag in spanEvent.Tags)
                {
                    yield return $"{tag.Key}={tag.Value}";
                }
            }
        }
        foreach (var metric in CollectMetrics())
        {
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in TagsOf(point))
                {
                    yield return $"{metric.Name} {tag.Key}={tag.Value}";
                }
            }
        }
        foreach (var line in Logs)
        {
            yield return line;
        }
    }

    private static List<KeyValuePair<string, object?>> TagsOf(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }
        return tags;
    }

    /// <summary>Each log record as one line: its category, formatted message, values, scopes and exception.</summary>
    private sealed class LogLines(SynchronizedCollection<string> lines) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var values = data.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? [];
            var scopes = new List<string>();
            data.ForEachScope((scope, list) =>
            {
                foreach (var value in scope)
                {
                    list.Add($"{value.Key}={value.Value}");
                }
            }, scopes);
            lines.Add($"{data.CategoryName} {data.FormattedMessage ?? data.Body} {string.Join(" ", values)} {string.Join(" ", scopes)} {data.Exception}");
        }
    }

    /// <summary>The exporters add from their own threads while a test reads: a collection behind a lock.</summary>
    private sealed class SynchronizedCollection<T> : ICollection<T>
    {
        private readonly List<T> items = [];

        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(T item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public void Clear()
        {
            lock (items)
            {
                items.Clear();
            }
        }

        public bool Contains(T item)
        {
            lock (items)
            {
                return items.Contains(item);
            }
        }

        public void CopyTo(T[] array, int arrayIndex)
        {
            lock (items)
            {
                items.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(T item)
        {
            lock (items)
            {
                return items.Remove(item);
            }
        }

        public T[] Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
