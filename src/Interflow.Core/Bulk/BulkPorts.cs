using Interflow.Core.Accounts;

namespace Interflow.Core.Bulk;

public interface IBulkStore
{
    /// <summary>Stores the job and all its chunks before anything is sent.</summary>
    Task<BulkJob> CreateAsync(BulkJob job, IReadOnlyList<BulkChunk> chunks, CancellationToken cancellationToken);

    Task<BulkJob?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    Task<BulkJob> ReplaceAsync(BulkJob job, string expectedETag, CancellationToken cancellationToken);

    Task<BulkChunk?> GetChunkAsync(Tenant tenant, string jobId, int index, CancellationToken cancellationToken);

    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    Task<BulkChunk> ReplaceChunkAsync(Tenant tenant, BulkChunk chunk, string expectedETag, CancellationToken cancellationToken);

    /// <summary>The job's chunks without their recipients: what progress needs.</summary>
    Task<IReadOnlyList<BulkChunk>> ListChunkCountsAsync(Tenant tenant, string jobId, CancellationToken cancellationToken);
}

public interface IBulkQueue
{
    Task EnqueueAsync(BulkChunkWork work, TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>Starts the coordination of a job: a durable orchestration in Azure, an in-process runner in the test server.</summary>
public interface IBulkOrchestrator
{
    Task StartAsync(BulkJobRef job, CancellationToken cancellationToken);
}
