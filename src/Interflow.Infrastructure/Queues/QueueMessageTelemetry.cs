using System.Diagnostics;
using System.Globalization;
using Interflow.Core.Telemetry;

namespace Interflow.Infrastructure.Queues;

/// <summary>
/// What a queue message carries for telemetry, at the start of its body: the W3C <c>traceparent</c> of the span that
/// enqueued it (its handler continues that trace) and when it was due (its age when handled). Stamped only while
/// telemetry listens; work records ignore a property they do not know. A later pass of a poisoned message keeps the
/// stamp it had.
/// </summary>
public static class QueueMessageTelemetry
{
    private const string Prefix = "{\"telemetry\":{\"traceparent\":";

    public static bool Listening => InterflowTelemetry.Source.HasListeners() || InterflowTelemetry.QueueMessageAge.Enabled;

    public static string Stamp(string text, DateTimeOffset due)
    {
        if (!text.StartsWith('{') || text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return text;
        }
        var traceParent = InterflowTelemetry.CurrentTraceParent() is { } id ? $"\"{id}\"" : "null";
        var stamp = $"{Prefix}{traceParent},\"due\":{due.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}}}";
        return text.Length <= 2 ? stamp + "}" : stamp + "," + text[1..];
    }

    /// <summary>The trace to continue and the due time; default and null for a message without a stamp.</summary>
    public static (ActivityContext Parent, DateTimeOffset? Due) Read(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (default, null);
        }
        var rest = text.AsSpan(Prefix.Length);
        var parent = default(ActivityContext);
        if (rest.StartsWith("\""))
        {
            var end = rest[1..].IndexOf('"');
            parent = end > 0 ? InterflowTelemetry.ParentOf(rest[1..(end + 1)].ToString()) : default;
            rest = rest[(end + 2)..];
        }
        var due = rest.IndexOf("\"due\":");
        if (due < 0)
        {
            return (parent, null);
        }
        var digits = rest[(due + 6)..];
        var length = digits.IndexOfAnyExceptInRange('0', '9');
        return long.TryParse(length < 0 ? digits : digits[..length], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? (parent, DateTimeOffset.FromUnixTimeMilliseconds(milliseconds))
            : (parent, null);
    }
}
