using Interflow.Core;

namespace Interflow.Infrastructure.Telemetry;

/// <summary>The <c>Interflow:Telemetry</c> section. Where telemetry goes is the standard settings' business (<see cref="TelemetryExport"/>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Trace and measure although no exporter setting is present: for exporters added in code (the tests' in-memory one).</summary>
    [LocalOnly]
    public bool Enabled { get; set; }

    /// <summary>
    /// The share of traces without a failure that are exported (1: all). A span that failed is exported whatever this
    /// says; the choice is made by trace id, so a kept trace is kept whole.
    /// </summary>
    public double SuccessSampleRatio { get; set; } = 1.0;
}
