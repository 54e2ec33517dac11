using System.Diagnostics;
using Interflow.Core.Telemetry;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Telemetry;

/// <summary>Traces through real HTTP on the test server, as its in-memory exporter received them.</summary>
[Collection(TelemetryWorkloadCollection.Name)]
public sealed class TraceTests(TelemetryWorkload workload)
{
    private IReadOnlyList<Activity> Spans => workload.Capture.Spans;

    private Activity RequestSpan(string name, string requestId) =>
        Assert.Single(Spans, s => s.DisplayName == name && Equals(s.GetTagItem(InterflowTelemetry.Tags.RequestId), requestId));

    private IReadOnlyList<Activity> TraceOf(Activity root) => [.. Spans.Where(s => s.TraceId == root.TraceId)];

    [Fact]
    public async Task A_send_is_one_trace_from_the_request_through_the_outbound_handler_and_provider_to_each_webhook_post()
    {
        var (messageId, requestId) = workload.Sends[0];
        var request = RequestSpan("POST /v1/messages/send", requestId);
        // The send's safety check is handled once its hold ends (the outbound lease, 2 s here).
        var trace = await Eventually.MatchAsync(() => Task.FromResult(TraceOf(request)), t => t.Any(s => s.DisplayName == $"{QueueNames.Outbound} process"));

        Assert.Equal(messageId, request.GetTagItem(InterflowTelemetry.Tags.MessageId));
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(201, request.GetTagItem(InterflowTelemetry.Tags.HttpStatus));
        var provider = Assert.Single(trace, s => s.DisplayName == "sandbox send");
        Assert.Equal(messageId, provider.GetTagItem(InterflowTelemetry.Tags.MessageId));
        Assert.Equal("accepted", provider.GetTagItem(InterflowTelemetry.Tags.Outcome));
        Assert.Equal(ActivityKind.Consumer, Assert.Single(trace, s => s.DisplayName == $"{QueueNames.Outbound} process").Kind);
        Assert.Contains(trace, s => s.DisplayName == $"{QueueNames.ProviderStatuses} process");
        // One POST for its sent event and one for its read event, each the first try, answered 200.
        var posts = trace.Where(s => s.DisplayName == "webhook POST").ToArray();
        Assert.Equal(2, posts.Length);
        Assert.All(posts, post =>
        {
            Assert.Equal(1, post.GetTagItem(InterflowTelemetry.Tags.Try));
            Assert.Equal(200, post.GetTagItem(InterflowTelemetry.Tags.HttpStatus));
            Assert.Equal(ActivityKind.Client, post.Kind);
        });
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem(InterflowTelemetry.Tags.DbSystem), "sqlite"));
        Assert.Contains(trace, s => s.Kind == ActivityKind.Producer && Equals(s.GetTagItem(InterflowTelemetry.Tags.Queue), QueueNames.Outbound));
        // Whole: every span but the request's has its parent in the same trace.
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        Assert.All(trace.Where(s => s != request), s => Assert.Contains(s.ParentSpanId, ids));
        // Kept with the screenshots, so a reader sees the trace as it was exported.
        await File.WriteAllTextAsync(Path.Combine(Chromium.ResultsDirectory(), "send-trace.txt"), Tree(trace, request));
    }

    /// <summary>The trace as an indented tree: each span under its parent, siblings by start time.</summary>
    private static string Tree(IReadOnlyList<Activity> trace, Activity root)
    {
        var text = new System.Text.StringBuilder();
        void Write(Activity span, int depth)
        {
            text.Append(' ', depth * 2).Append(span.DisplayName).Append(" (").Append(span.Kind).Append(')').AppendLine();
            foreach (var child in trace.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc))
                Write(child, depth + 1);
        }
        Write(root, 0);
        return text.ToString();
    }

    [Fact]
    public void A_bulk_jobs_trace_reaches_its_chunks_their_blocks_and_every_provider_call()
    {
        var request = RequestSpan("POST /v1/messages/bulk", workload.Bulk.RequestId);
        var trace = TraceOf(request);

        Assert.Equal(workload.Bulk.Id, Assert.Single(trace, s => s.DisplayName == "bulk enqueue chunks").GetTagItem(InterflowTelemetry.Tags.BulkId));
        var chunks = trace.Where(s => s.DisplayName == "bulk chunk").ToArray();
        Assert.Equal([0, 1], chunks.Select(c => (int)c.GetTagItem(InterflowTelemetry.Tags.Chunk)!).Distinct().Order());
        Assert.All(chunks, c => Assert.Equal(workload.Bulk.Id, c.GetTagItem(InterflowTelemetry.Tags.BulkId)));
        var blocks = trace.Where(s => s.DisplayName == "bulk block").ToArray();
        Assert.Equal(TelemetryWorkload.BulkRecipients, blocks.Sum(b => (int)b.GetTagItem(InterflowTelemetry.Tags.Count)!));
        var blockIds = blocks.Select(b => b.SpanId).ToHashSet();
        Assert.Equal(TelemetryWorkload.BulkRecipients, trace.Count(s => s.DisplayName == "sandbox send" && blockIds.Contains(s.ParentSpanId)));
        Assert.Contains(trace, s => s.DisplayName == $"{QueueNames.BulkChunks} process");
    }

    [Fact]
    public void A_refused_send_fails_its_provider_span_with_the_providers_code_and_not_the_request()
    {
        var (_, requestId) = workload.Sends[TelemetryWorkload.ReadSends];
        var trace = TraceOf(RequestSpan("POST /v1/messages/send", requestId));

        var provider = Assert.Single(trace, s => s.DisplayName == "sandbox send");
        Assert.Equal(ActivityStatusCode.Error, provider.Status);
        Assert.Equal("SANDBOX_REJECTED", provider.GetTagItem(InterflowTelemetry.Tags.ErrorType));
        Assert.Equal(ActivityStatusCode.Unset, Assert.Single(trace, s => s.DisplayName == "POST /v1/messages/send").Status);
    }

    [Fact]
    public void A_whatsapp_send_has_its_provider_span_without_the_token_or_the_number()
    {
        var (messageId, requestId) = workload.Sends[TelemetryWorkload.ReadSends + 1];
        var provider = Assert.Single(TraceOf(RequestSpan("POST /v1/messages/send", requestId)), s => s.DisplayName == "whatsapp_cloud send");

        Assert.Equal(messageId, provider.GetTagItem(InterflowTelemetry.Tags.MessageId));
        Assert.Equal("whatsapp_cloud", provider.GetTagItem(InterflowTelemetry.Tags.ChannelKind));
    }
}
