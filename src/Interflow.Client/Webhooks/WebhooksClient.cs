namespace Interflow.Client;

/// <summary>/v1/webhooks.</summary>
public sealed class WebhooksClient
{
    private const string Path = "v1/webhooks";
    private readonly ApiConnection api;

    internal WebhooksClient(ApiConnection api) => this.api = api;

    public Task<Page<Webhook>> ListAsync(CancellationToken cancellationToken = default) =>
        api.ListAsync<Webhook>(Path, cancellationToken);

    /// <summary>Creates an endpoint; keep <see cref="CreatedWebhook.Secret"/>, it is never shown again.</summary>
    public async Task<CreatedWebhook> CreateAsync(NewWebhook webhook, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<CreatedWebhook>(HttpMethod.Post, Path, webhook, idempotencyKey, cancellationToken: cancellationToken)).Data;

    public async Task<Webhook> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Webhook>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken));

    public async Task<Webhook> UpdateAsync(string id, WebhookChanges changes, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Webhook>(HttpMethod.Put, ApiConnection.PathOf(Path, id), changes, ifMatch: ifMatch, cancellationToken: cancellationToken));

    public async Task<Deleted> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<Deleted>(HttpMethod.Delete, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken)).Data;

    /// <summary>The endpoint's deliveries, newest first, each with its attempts.</summary>
    public Task<Page<WebhookDelivery>> ListDeliveriesAsync(string id, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        api.ListAsync<WebhookDelivery>(Paging.Query(ApiConnection.PathOf(Path, id, "deliveries"), ("page", page), ("per_page", perPage)), cancellationToken);

    public IAsyncEnumerable<WebhookDelivery> ListAllDeliveriesAsync(string id, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, token) => ListDeliveriesAsync(id, page, Paging.PerPage, token), d => d.Id, cancellationToken);

    /// <summary>Sends a <c>webhook.test</c> event now, even to a disabled endpoint (a success enables it again).</summary>
    public async Task<WebhookDelivery> TestAsync(string id, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<WebhookDelivery>(HttpMethod.Post, ApiConnection.PathOf(Path, id, "test"), cancellationToken: cancellationToken)).Data;

    private static Webhook Versioned(ApiAnswer<Webhook> answer) => answer.Data with { ETag = answer.ETag };
}
