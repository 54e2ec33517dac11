namespace Interflow.Client;

/// <summary>/v1/customers.</summary>
public sealed class CustomersClient
{
    private const string Path = "v1/customers";
    private readonly ApiConnection api;

    internal CustomersClient(ApiConnection api) => this.api = api;

    /// <param name="cursor">A walk by cursor instead of a numbered page: "" for its first page, then <see cref="Page{T}.NextCursor"/>.</param>
    public Task<Page<Customer>> ListAsync(CustomerFilter? filter = null, int page = 1, int perPage = 20, string? cursor = null, CancellationToken cancellationToken = default) =>
        api.ListAsync<Customer>(Paging.Query(Path, [.. Paging.Of(page, perPage, cursor),
            ("search", filter?.Search), ("tag", filter?.Tag), ("email", filter?.Email), ("phone", filter?.Phone)]), cancellationToken);

    /// <summary>Every customer matching the filter, newest first, each once even while others are added or deleted.</summary>
    public IAsyncEnumerable<Customer> ListAllAsync(CustomerFilter? filter = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, token) => ListAsync(filter, perPage: Paging.PerPage, cursor: cursor, cancellationToken: token), cancellationToken);

    /// <param name="idempotencyKey">Your own key, to make the create idempotent beyond this call's retries.</param>
    public Task<Customer> CreateAsync(NewCustomer customer, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Customer>(HttpMethod.Post, Path, customer, idempotencyKey, cancellationToken: cancellationToken);

    public Task<Customer> GetAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Customer>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);

    /// <param name="ifMatch">A customer's <see cref="ApiResource.ETag"/>: the update fails with 412 if it changed since.</param>
    public Task<Customer> UpdateAsync(string id, CustomerChanges changes, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        api.CallAsync<Customer>(HttpMethod.Put, ApiConnection.PathOf(Path, id), changes, ifMatch: ifMatch, cancellationToken: cancellationToken);

    public Task<Deleted> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        api.CallAsync<Deleted>(HttpMethod.Delete, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken);
}
