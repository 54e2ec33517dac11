using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Interflow.TestServer;

/// <summary>One span as an OTLP exporter sent it: ids in hex, attributes as text.</summary>
public sealed record ExportedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, int StatusCode, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A stand-in for an OpenTelemetry collector on loopback, for a process the tests cannot reach into (the Functions
/// host and its worker): it takes OTLP over HTTP/protobuf on <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>,
/// decodes the spans and the metric names, and keeps every body, to search what was exported for what must never be.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ExportedSpan> spans = new();
    private readonly ConcurrentQueue<string> metricNames = new();
    private readonly ConcurrentQueue<byte[]> bodies = new();

    private int exports;
    private long bytes;
    private readonly bool keep;

    private OtlpSink(WebApplication app, bool keep) => (this.app, this.keep) = (app, keep);

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ExportedSpan> Spans => [.. spans];

    public IReadOnlyCollection<string> MetricNames => [.. metricNames.Distinct()];

    /// <summary>How many export requests (of any signal) arrived: the cost of telemetry in requests.</summary>
    public int Exports => exports;

    /// <summary>How many bytes they carried.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <param name="keep">Keep what arrives (spans, metric names, bodies) for a test to read; a benchmark keeps only the counts, so that its process's memory is the app's.</param>
    public static async Task<OtlpSink> StartAsync(bool keep = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new OtlpSink(app, keep);
        app.MapPost("/v1/traces", (HttpContext http) => sink.TakeAsync(http, sink.ReadTraces));
        app.MapPost("/v1/metrics", (HttpContext http) => sink.TakeAsync(http, sink.ReadMetrics));
        app.MapPost("/v1/logs", (HttpContext http) => sink.TakeAsync(http, _ => { }));
        await app.StartAsync();
        sink.Endpoint = new Uri(LoopbackHost.AddressOf(app));
        return sink;
    }

    /// <summary>Whether any exported byte sequence holds <paramref name="text"/> (UTF-8): protobuf keeps strings as they are.</summary>
    public bool Contains(string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return bodies.Any(body => body.AsSpan().IndexOf(needle) >= 0);
    }

    private async Task TakeAsync(HttpContext http, Action<byte[]> read)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        Interlocked.Increment(ref exports);
        Interlocked.Add(ref bytes, body.Length);
        if (keep)
        {
            bodies.Enqueue(body);
            read(body);
        }
        // An empty ExportServiceResponse: nothing rejected.
        http.Response.ContentType = "application/x-protobuf";
    }

    // ExportTraceServiceRequest.resource_spans(1) > ResourceSpans.scope_spans(2) > ScopeSpans.spans(2) > Span.
    private void ReadTraces(byte[] body)
    {
        foreach (var resource in Fields(body, 1))
        {
            foreach (var scope in Fields(resource, 2))
            {
                foreach (var span in Fields(scope, 2))
                {
                    spans.Enqueue(ReadSpan(span));
                }
            }
        }
    }

    // ExportMetricsServiceRequest.resource_metrics(1) > ResourceMetrics.scope_metrics(2) > ScopeMetrics.metrics(2) > Metric.name(1).
    private void ReadMetrics(byte[] body)
    {
        foreach (var resource in Fields(body, 1))
        {
            foreach (var scope in Fields(resource, 2))
            {
                foreach (var metric in Fields(scope, 2))
                {
                    foreach (var name in Fields(metric, 1))
                    {
                        metricNames.Enqueue(System.Text.Encoding.UTF8.GetString(name));
                    }
                }
            }
        }
    }

    // Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, attributes 9 (KeyValue: key 1, value 2), status 15 (code 3).
    private static ExportedSpan ReadSpan(byte[] span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        int kind = 0, status = 0;
        var attributes = new Dictionary<string, string>();
        var input = new CodedInputStream(span);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 9:
                    var pair = input.ReadBytes().ToByteArray();
                    var key = Fields(pair, 1).Select(System.Text.Encoding.UTF8.GetString).FirstOrDefault() ?? "";
                    attributes[key] = Fields(pair, 2).Select(AnyValue).FirstOrDefault() ?? "";
                    break;
                case 15:
                    var statusInput = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint statusTag;
                    while ((statusTag = statusInput.ReadTag()) != 0)
                    {
                        if (WireFormat.GetTagFieldNumber(statusTag) == 3)
                        {
                            status = statusInput.ReadEnum();
                        }
                        else
                        {
                            statusInput.SkipLastField();
                        }
                    }
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new ExportedSpan(traceId, spanId, parent, name, kind, status, attributes);
    }

    // AnyValue: string_value 1, bool_value 2, int_value 3, double_value 4.
    private static string AnyValue(byte[] value)
    {
        var input = new CodedInputStream(value);
        var tag = input.ReadTag();
        return WireFormat.GetTagFieldNumber(tag) switch
        {
            1 => input.ReadString(),
            2 => input.ReadBool() ? "true" : "false",
            3 => input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        };
    }

    /// <summary>The length-delimited fields of a message with this number, as bytes.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
