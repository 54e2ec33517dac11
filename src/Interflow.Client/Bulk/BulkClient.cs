namespace Interflow.Client;

/// <summary>/v1/messages/bulk.</summary>
public sealed class BulkClient
{
    private const string Path = "v1/messages/bulk";
    private readonly ApiConnection api;

    internal BulkClient(ApiConnection api) => this.api = api;

    /// <summary>Validates every recipient up front and queues the job (one job however often the call is retried).</summary>
    public Task<BulkJob> SubmitAsync(BulkSend send, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<BulkJob>(HttpMethod.Post, Path, send, idempotencyKey, cancellationToken: cancellationToken);

    public Task<BulkJob> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<BulkJob>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);

    /// <summary>Stops what is not sent yet; the job ends cancelled once the messages in flight settle.</summary>
    public Task<BulkJob> CancelAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<BulkJob>(HttpMethod.Post, ApiConnection.PathOf(Path, id, "cancel"), cancellationToken: cancellationToken);
}
