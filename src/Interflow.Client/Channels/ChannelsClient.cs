namespace Interflow.Client;

/// <summary>/v1/channels.</summary>
public sealed class ChannelsClient
{
    private const string Path = "v1/channels";
    private readonly ApiConnection api;

    internal ChannelsClient(ApiConnection api) => this.api = api;

    /// <param name="cursor">A walk by cursor instead of a numbered page: "" for its first page, then <see cref="Page{T}.NextCursor"/>.</param>
    public Task<Page<Channel>> ListAsync(int page = 1, int perPage = 20, string? cursor = null, CancellationToken cancellationToken = default) =>
        api.ListAsync<Channel>(Paging.Query(Path, Paging.Of(page, perPage, cursor)), cancellationToken);

    public IAsyncEnumerable<Channel> ListAllAsync(CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, token) => ListAsync(perPage: Paging.PerPage, cursor: cursor, cancellationToken: token), cancellationToken);

    public Task<Channel> CreateAsync(NewChannel channel, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Channel>(HttpMethod.Post, Path, channel, idempotencyKey, cancellationToken: cancellationToken);

    public Task<Channel> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Channel>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);
}
