namespace Interflow.Client;

/// <summary>/v1/customers.</summary>
public sealed class CustomersClient
{
    private const string Path = "v1/customers";
    private readonly ApiConnection api;

    internal CustomersClient(ApiConnection api) => this.api = api;

    public Task<Page<Customer>> ListAsync(CustomerFilter? filter = null, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        api.ListAsync<Customer>(Paging.Query(Path, ("page", page), ("per_page", perPage),
            ("search", filter?.Search), ("tag", filter?.Tag), ("email", filter?.Email), ("phone", filter?.Phone)), cancellationToken);

    /// <summary>Every customer matching the filter, newest first, page after page.</summary>
    public IAsyncEnumerable<Customer> ListAllAsync(CustomerFilter? filter = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((page, token) => ListAsync(filter, page, Paging.PerPage, token), c => c.Id, cancellationToken);

    /// <param name="idempotencyKey">Your own key, to make the create idempotent beyond this call's retries.</param>
    public async Task<Customer> CreateAsync(NewCustomer customer, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Customer>(HttpMethod.Post, Path, customer, idempotencyKey, cancellationToken: cancellationToken));

    public async Task<Customer> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Customer>(HttpMethod.Get, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken));

    /// <param name="ifMatch">A customer's <see cref="Customer.ETag"/>: the update fails with 412 if it changed since.</param>
    public async Task<Customer> UpdateAsync(string id, CustomerChanges changes, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        Versioned(await api.SendAsync<Customer>(HttpMethod.Put, ApiConnection.PathOf(Path, id), changes, ifMatch: ifMatch, cancellationToken: cancellationToken));

    public async Task<Deleted> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        (await api.SendAsync<Deleted>(HttpMethod.Delete, ApiConnection.PathOf(Path, id), cancellationToken: cancellationToken)).Data;

    private static Customer Versioned(ApiAnswer<Customer> answer) => answer.Data with { ETag = answer.ETag };
}
