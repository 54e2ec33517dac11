namespace Interflow.Client;

/// <summary>/v1/chats.</summary>
public sealed class ChatsClient
{
    private const string Path = "v1/chats";
    private readonly ApiConnection api;

    internal ChatsClient(ApiConnection api) => this.api = api;

    /// <summary>Chats by latest activity.</summary>
    public Task<Page<Chat>> ListAsync(ChatFilter? filter = null, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        api.ListAsync<Chat>(Paging.Query(Path, ("page", page), ("per_page", perPage),
            ("status", filter?.Status), ("channel_id", filter?.ChannelId), ("customer_id", filter?.CustomerId)), cancellationToken);

    public IAsyncEnumerable<Chat> ListAllAsync(ChatFilter? filter = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, token) => ListAsync(filter, page, Paging.PerPage, token), c => c.Id, cancellationToken);

    /// <summary>The customer's open chat on the channel: the existing one, or a new one.</summary>
    public async Task<Chat> OpenAsync(NewChat chat, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Chat>(HttpMethod.Post, Path, chat, idempotencyKey, cancellationToken: cancellationToken));

    public async Task<Chat> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Chat>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken));

    /// <summary>Closes, reopens or marks read (<see cref="ChatChanges.Close"/>, …).</summary>
    public async Task<Chat> UpdateAsync(string id, ChatChanges changes, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Chat>(HttpMethod.Put, ApiConnection.PathOf(Path, id), changes, ifMatch: ifMatch, cancellationToken: cancellationToken));

    /// <param name="order">asc (oldest first, the default) or desc.</param>
    public Task<Page<Message>> ListMessagesAsync(string chatId, string? order = null, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        api.ListAsync<Message>(Paging.Query(ApiConnection.PathOf(Path, chatId, "messages"), ("page", page), ("per_page", perPage), ("order", order)), cancellationToken);

    public IAsyncEnumerable<Message> ListAllMessagesAsync(string chatId, string? order = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, token) => ListMessagesAsync(chatId, order, page, Paging.PerPage, token), m => m.Id, cancellationToken);

    private static Chat Versioned(ApiAnswer<Chat> answer) => answer.Data with { ETag = answer.ETag };
}
