using System.Diagnostics;
using System.Net;
using Interflow.Api.Tests.Messaging;
using Interflow.Core.Accounts;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Telemetry;

/// <summary>The sampling tests run alone, as the workload does (<see cref="TelemetryWorkloadCollection"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplingCollection
{
    public const string Name = "Telemetry sampling";
}

/// <summary>Sampling that never drops a failure (<c>Interflow:Telemetry:SuccessSampleRatio</c>), as the exporters see it.</summary>
[Collection(SamplingCollection.Name)]
public sealed class SamplingTests
{
    [Fact]
    public async Task With_no_successful_trace_kept_a_failed_provider_call_is_still_exported_and_nothing_else()
    {
        var capture = new TelemetryCapture();
        var settings = InterflowServerFixture.FastSettings();
        settings.Telemetry = capture;
        settings.Configuration["Interflow:Telemetry:SuccessSampleRatio"] = "0";
        await using var server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);
        var channel = await client.CreateSandboxChannelAsync();

        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()))).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, "5511912340000"))).Status);

        var refused = Assert.Single(capture.Spans);
        Assert.Equal(("sandbox send", ActivityStatusCode.Error), (refused.DisplayName, refused.Status));
    }
}
