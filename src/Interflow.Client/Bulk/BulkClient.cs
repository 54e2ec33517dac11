namespace Interflow.Client;

/// <summary>/v1/messages/bulk.</summary>
public sealed class BulkClient
{
    private const string Path = "v1/messages/bulk";
    private readonly ApiConnection api;

    internal BulkClient(ApiConnection api) => this.api = api;

    /// <summary>Validates every recipient up front and queues the job (one job however often the call is retried).</summary>
    public async Task<BulkJob> SubmitAsync(BulkSend send, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<BulkJob>(HttpMethod.Post, Path, send, idempotencyKey, cancellationToken: cancellationToken)).Data;

    public Task<BulkJob> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.GetAsync<BulkJob>(ApiConnection.PathOf(Path, id), cancellationToken);

    /// <summary>Stops what is not sent yet; the job ends cancelled once the messages in flight settle.</summary>
    public async Task<BulkJob> CancelAsync(string id, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<BulkJob>(HttpMethod.Post, ApiConnection.PathOf(Path, id, "cancel"), cancellationToken: cancellationToken)).Data;
}
