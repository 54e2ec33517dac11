namespace Interflow.Client;

/// <summary>/v1/channels.</summary>
public sealed class ChannelsClient
{
    private const string Path = "v1/channels";
    private readonly ApiConnection api;

    internal ChannelsClient(ApiConnection api) => this.api = api;

    public Task<Page<Channel>> ListAsync(int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        api.ListAsync<Channel>(Paging.Query(Path, ("page", page), ("per_page", perPage)), cancellationToken);

    public IAsyncEnumerable<Channel> ListAllAsync(CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, token) => ListAsync(page, Paging.PerPage, token), c => c.Id, cancellationToken);

    public async Task<Channel> CreateAsync(NewChannel channel, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<Channel>(HttpMethod.Post, Path, channel, idempotencyKey, cancellationToken: cancellationToken)).Data;

    public Task<Channel> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.GetAsync<Channel>(ApiConnection.PathOf(Path, id), cancellationToken);
}
