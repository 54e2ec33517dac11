namespace Interflow.Client;

/// <summary>/v1/messages.</summary>
public sealed class MessagesClient
{
    private const string Path = "v1/messages";
    private readonly ApiConnection api;

    internal MessagesClient(ApiConnection api) => this.api = api;

    /// <summary>
    /// Sends a message: sent when the provider took it at once, queued when it will be retried (the status says
    /// which). A retry after a lost answer reuses the Idempotency-Key, so the customer gets the message once.
    /// </summary>
    /// <param name="idempotencyKey">Your own key (an order id, say), to make the send idempotent beyond this call.</param>
    public Task<Message> SendAsync(SendMessage message, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Message>(HttpMethod.Post, Path + "/send", message, idempotencyKey, cancellationToken: cancellationToken);

    public Task<Message> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Message>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);
}
