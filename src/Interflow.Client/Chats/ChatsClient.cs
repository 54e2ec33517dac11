namespace Interflow.Client;

/// <summary>/v1/chats.</summary>
public sealed class ChatsClient
{
    private const string Path = "v1/chats";
    private readonly ApiConnection api;

    internal ChatsClient(ApiConnection api) => this.api = api;

    /// <summary>Chats by latest activity; a walk by cursor goes by creation instead, newest first.</summary>
    /// <param name="cursor">A walk by cursor instead of a numbered page: "" for its first page, then <see cref="Page{T}.NextCursor"/>.</param>
    public Task<Page<Chat>> ListAsync(ChatFilter? filter = null, int page = 1, int perPage = 20, string? cursor = null, CancellationToken cancellationToken = default) =>
        api.ListAsync<Chat>(Paging.Query(Path, [.. Paging.Of(page, perPage, cursor),
            ("status", filter?.Status), ("channel_id", filter?.ChannelId), ("customer_id", filter?.CustomerId)]), cancellationToken);

    public IAsyncEnumerable<Chat> ListAllAsync(ChatFilter? filter = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, token) => ListAsync(filter, perPage: Paging.PerPage, cursor: cursor, cancellationToken: token), cancellationToken);

    /// <summary>The customer's open chat on the channel: the existing one (200), or a new one (201).</summary>
    public Task<Chat> OpenAsync(NewChat chat, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Chat>(HttpMethod.Post, Path, chat, idempotencyKey, cancellationToken: cancellationToken);

    public Task<Chat> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Chat>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);

    /// <summary>Closes, reopens or marks read (<see cref="ChatChanges.Close"/>, …).</summary>
    public Task<Chat> UpdateAsync(string id, ChatChanges changes, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Chat>(HttpMethod.Put, ApiConnection.PathOf(Path, id), changes, ifMatch: ifMatch, cancellationToken: cancellationToken);

    /// <param name="order">asc (oldest first, the default) or desc.</param>
    /// <param name="cursor">A walk by cursor instead of a numbered page: "" for its first page, then <see cref="Page{T}.NextCursor"/>.</param>
    public Task<Page<Message>> ListMessagesAsync(string chatId, string? order = null, int page = 1, int perPage = 20, string? cursor = null, CancellationToken cancellationToken = default) =>
        api.ListAsync<Message>(Paging.Query(ApiConnection.PathOf(Path, chatId, "messages"), [.. Paging.Of(page, perPage, cursor), ("order", order)]), cancellationToken);

    public IAsyncEnumerable<Message> ListAllMessagesAsync(string chatId, string? order = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, token) => ListMessagesAsync(chatId, order, perPage: Paging.PerPage, cursor: cursor, cancellationToken: token), cancellationToken);
}
