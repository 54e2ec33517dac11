namespace Interflow.Client;

/// <summary>/v1/webhooks.</summary>
public sealed class WebhooksClient
{
    private const string Path = "v1/webhooks";
    private readonly ApiConnection api;

    internal WebhooksClient(ApiConnection api) => this.api = api;

    /// <summary>Every endpoint of the account and environment, on one page.</summary>
    public Task<Page<Webhook>> ListAsync(CancellationToken cancellationToken = default) =>
        api.ListAsync<Webhook>(Path, cancellationToken);

    /// <summary>Creates an endpoint; keep <see cref="CreatedWebhook.Secret"/>, it is never shown again.</summary>
    public Task<CreatedWebhook> CreateAsync(NewWebhook webhook, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<CreatedWebhook>(HttpMethod.Post, Path, webhook, idempotencyKey, cancellationToken: cancellationToken);

    public Task<Webhook> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Webhook>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);

    public Task<Webhook> UpdateAsync(string id, WebhookChanges changes, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Webhook>(HttpMethod.Put, ApiConnection.PathOf(Path, id), changes, ifMatch: ifMatch, cancellationToken: cancellationToken);

    public Task<Deleted> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Deleted>(HttpMethod.Delete, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);

    /// <summary>The endpoint's deliveries, newest first, each with its attempts.</summary>
    /// <param name="cursor">A walk by cursor instead of a numbered page: "" for its first page, then <see cref="Page{T}.NextCursor"/>.</param>
    public Task<Page<WebhookDelivery>> ListDeliveriesAsync(string id, int page = 1, int perPage = 20, string? cursor = null, CancellationToken cancellationToken = default) =>
        api.ListAsync<WebhookDelivery>(Paging.Query(ApiConnection.PathOf(Path, id, "deliveries"), Paging.Of(page, perPage, cursor)), cancellationToken);

    public IAsyncEnumerable<WebhookDelivery> ListAllDeliveriesAsync(string id, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, token) => ListDeliveriesAsync(id, perPage: Paging.PerPage, cursor: cursor, cancellationToken: token), cancellationToken);

    /// <summary>Sends a <c>webhook.test</c> event now, even to a disabled endpoint (a success enables it again).</summary>
    public Task<WebhookDelivery> TestAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<WebhookDelivery>(HttpMethod.Post, ApiConnection.PathOf(Path, id, "test"), cancellationToken: cancellationToken);
}
