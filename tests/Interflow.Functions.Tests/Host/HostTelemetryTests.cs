using System.Net;
using System.Net.Http.Json;
using Interflow.Core.Telemetry;
using Interflow.Infrastructure.Queues;
using Xunit.Abstractions;

namespace Interflow.Functions.Tests.Host;

/// <summary>
/// The Functions app in a Functions host with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, as an operator sets it for a
/// collector: the host's and the worker's telemetry arrive at an OTLP sink (<see cref="OtlpSink"/>) in shared traces.
/// </summary>
public sealed class HostTelemetryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private OtlpSink sink = null!;
    private AzuriteProcess? azurite;
    private FunctionsHost? host;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        sink = await OtlpSink.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
        if (FunctionsHost.Unavailable is not null)
        {
            return;
        }
        azurite = await AzuriteProcess.StartAsync();
        var settings = new FunctionsHostSettings { Storage = azurite.ConnectionString };
        settings.Values["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Endpoint.ToString().TrimEnd('/');
        settings.Values["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // Exported within a second, so that the test waits for telemetry, not for export schedules.
        settings.Values["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        settings.Values["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        settings.Values["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        settings.Values["Interflow__Sandbox__DeliveredAfter"] = "00:00:00.300";
        settings.Values["Interflow__Sandbox__ReadAfter"] = "00:00:00.700";
        settings.Values["Interflow__Outbound__Lease"] = "00:00:02";
        host = await FunctionsHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
        await receiver.DisposeAsync();
        await sink.DisposeAsync();
    }

    [SkippableFact]
    public async Task A_send_in_the_host_is_one_trace_from_the_hosts_request_to_the_webhook_post_and_exports_no_secret()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        const string phone = "5511987123456", text = "Seu código de acesso é 552910";
        // No bootstrap key is printed while telemetry is exported: one from the operator routes.
        using var admin = host!.CreateAdminClient();
        var account = (await HostCalls.DataAsync(admin.PostAsJsonAsync("manage/accounts", new { name = "Telemetry", plan = "enterprise" }), HttpStatusCode.Created)).GetProperty("id").GetString();
        var key = (await HostCalls.DataAsync(admin.PostAsJsonAsync($"manage/accounts/{account}/keys", new { name = "telemetry", environment = "live" }), HttpStatusCode.Created)).GetProperty("secret").GetString()!;
        Assert.Null(host.LiveKey);
        using var api = host.CreateClient(key);
        var webhook = await HostCalls.DataAsync(api.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "message.sent", "message.read" } }), HttpStatusCode.Created);
        var channel = (await HostCalls.DataAsync(api.PostAsJsonAsync("v1/channels", new { name = "Sandbox", kind = "sandbox" }), HttpStatusCode.Created)).GetProperty("id").GetString();

        using var sent = await api.PostAsJsonAsync("v1/messages/send", new { channel_id = channel, to = phone, type = "text", content = new { text } });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var requestId = sent.Headers.GetValues("X-Request-Id").Single();
        await Eventually.MatchAsync(() => Task.FromResult(receiver.Succeeded.Count()), n => n >= 2, TimeSpan.FromSeconds(30));

        var request = await Eventually.MatchAsync(
            () => Task.FromResult(sink.Spans.FirstOrDefault(s => s.Attributes.GetValueOrDefault(InterflowTelemetry.Tags.RequestId) == requestId)), s => s is not null);
        Assert.NotNull(request);
        bool Whole(IReadOnlyList<ExportedSpan> trace) =>
            trace.Any(s => s.Name == $"{QueueNames.Outbound} process") && trace.Count(s => s.Name == "webhook POST") == 2 && trace.Any(s => s.Name == "sandbox send");
        var trace = await Eventually.MatchAsync(() => Task.FromResult<IReadOnlyList<ExportedSpan>>([.. sink.Spans.Where(s => s.TraceId == request.TraceId)]), Whole, TimeSpan.FromSeconds(30));
        output.WriteLine(string.Join("\n", trace.Select(s => $"{s.SpanId} <- {s.ParentSpanId}: {s.Name} (kind {s.Kind})")));

        Assert.True(Whole(trace), "the trace of the send lacks the outbound handler, the provider call or a webhook POST");
        // The worker's request span is beneath the host's own (telemetryMode OpenTelemetry): host and worker share the trace.
        Assert.NotEqual("", request.ParentSpanId);
        Assert.Contains(trace, s => s.SpanId == request.ParentSpanId);
        Assert.Contains(trace, s => s.ParentSpanId == "" && s.Kind == 2 /* SERVER */);
        await Eventually.MatchAsync(() => Task.FromResult(sink.MetricNames), names => names.Contains("interflow.webhook.deliveries"), TimeSpan.FromSeconds(15));
        Assert.Contains("interflow.messages", sink.MetricNames);
        Assert.Contains("interflow.provider.duration", sink.MetricNames);
        foreach (var never in new[] { key, host.Settings.MasterKey, webhook.GetProperty("secret").GetString()!, phone, text })
        {
            Assert.False(sink.Contains(never), $"the exported telemetry holds '{never[..6]}…'");
        }
    }
}
