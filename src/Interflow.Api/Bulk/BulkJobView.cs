using Interflow.Api.OpenApi;
using Interflow.Core;
using Interflow.Core.Bulk;

namespace Interflow.Api.Bulk;

/// <summary>A bulk job as the contract shows it; the counts add up: queued + sent + failed + cancelled = total.</summary>
public sealed record BulkJobView(
    string Id, string ChannelId, [property: EnumOf(typeof(BulkStatus))] string Status, int Total, int Queued, int Sent, int Failed, int Cancelled,
    bool CancelRequested, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt)
{
    public static BulkJobView From(BulkJob job) => new(
        job.Id, job.ChannelId, EnumNames.Name(job.Status), job.Total, job.Queued, job.Sent, job.Failed, job.Cancelled,
        job.CancelRequested, job.CreatedAt, job.UpdatedAt, job.CompletedAt);
}
