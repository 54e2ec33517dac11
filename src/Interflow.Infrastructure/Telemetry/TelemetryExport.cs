using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Interflow.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Interflow.Infrastructure.Telemetry;

/// <summary>
/// Where the app's traces, metrics and logs go, from the standard settings: Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (signed in with the app's managed identity), OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (any collector, Jaeger, Grafana, the Aspire dashboard), both when both
/// are. With neither (a local run, the tests) nothing is registered and nothing is recorded.
/// </summary>
public static class TelemetryExport
{
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string Section = "Interflow:Telemetry";

    /// <summary>The framework's own meter of <c>http.server.request.duration</c>, where ASP.NET Core serves the requests.</summary>
    public const string AspNetCoreMeter = "Microsoft.AspNetCore.Hosting";

    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[AzureMonitorSetting]) || !string.IsNullOrEmpty(configuration[OtlpSetting])
        || configuration.GetSection(Section).Get<TelemetryOptions>()?.Enabled == true;

    /// <summary>Registers the exporters the settings name, with the app's sources, meters and sampling; nothing when none is named.</summary>
    public static void AddTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
        {
            return;
        }
        var options = configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var azureMonitor = !string.IsNullOrEmpty(configuration[AzureMonitorSetting]);
        var otlp = !string.IsNullOrEmpty(configuration[OtlpSetting]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("interflow"))
            .WithTracing(tracing => tracing
                .AddSource(InterflowTelemetry.Name)
                // First, so that the exporters after it see its decision.
                .AddProcessor(new SuccessSampling(options.SuccessSampleRatio)))
            .WithMetrics(metrics => metrics.AddMeter(InterflowTelemetry.Name, AspNetCoreMeter))
            .WithLogging();
        if (azureMonitor)
        {
            // The Bicep sets DisableLocalAuth: the connection string names the resource, the identity signs in (AZURE_CLIENT_ID picks it).
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = configuration[AzureMonitorSetting];
                exporter.Credential = new DefaultAzureCredential();
            });
        }
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
    }
}
