namespace Interflow.Api.Tests.Telemetry;

/// <summary>What a whole workload exported (span names and attributes, metric tags, log lines) holds none of the secrets or personal data it used.</summary>
[Collection(TelemetryWorkloadCollection.Name)]
public sealed class PrivacyTests(TelemetryWorkload workload)
{
    [Fact]
    public void No_secret_and_no_personal_data_is_in_any_span_metric_or_log()
    {
        var exported = string.Join("\n", workload.Capture.AllText());

        // The guard of the guard: the workload ran traced, its requests, provider calls and webhook POSTs exported.
        Assert.All(new[] { "POST /v1/messages/send", "POST /v1/messages/bulk", "sandbox send", "whatsapp_cloud send", "webhook POST" },
            name => Assert.Contains(workload.Capture.Spans, s => s.DisplayName == name));
        Assert.All(workload.Secrets, secret => Assert.DoesNotContain(secret, exported, StringComparison.Ordinal));
        Assert.All(workload.PersonalData, data => Assert.DoesNotContain(data, exported, StringComparison.Ordinal));
    }
}
