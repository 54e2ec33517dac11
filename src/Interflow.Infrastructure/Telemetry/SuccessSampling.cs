using System.Buffers.Binary;
using System.Diagnostics;
using OpenTelemetry;

namespace Interflow.Infrastructure.Telemetry;

/// <summary>
/// Sampling that never drops a failure. Every span is recorded; when one ends, a span with an error status is always
/// exported, and any other only when its trace id falls within <c>ratio</c>: the same answer for every span of a trace,
/// on every instance, so a kept trace arrives whole. Export processors skip a span that is no longer marked recorded.
/// </summary>
/// <remarks>
/// A head sampler cannot do this (it decides before anything failed), and host-side sampling in Azure does not see
/// the worker's spans. Placed before the exporters, so it runs first.
/// </remarks>
public sealed class SuccessSampling(double ratio) : BaseProcessor<Activity>
{
    private readonly ulong threshold = ratio >= 1 ? ulong.MaxValue : (ulong)(Math.Max(0, ratio) * ulong.MaxValue);

    public override void OnEnd(Activity data)
    {
        if (ratio >= 1 || data.Status == ActivityStatusCode.Error || Keeps(data.TraceId))
        {
            return;
        }
        data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
    }

    /// <summary>Whether a trace without failures is kept: its id's low 8 bytes (random in W3C ids) below the ratio's share.</summary>
    public bool Keeps(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) < threshold;
    }
}
