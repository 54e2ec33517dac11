using System.Net;
using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Paging;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// Customers in one container partitioned by tenant. GET is one point read (id + partition key); every query names
/// the partition key in WHERE as well as in the request options, so no query can cross tenants.
/// </summary>
public sealed class CosmosCustomerStore(CosmosContainers containers) : ICustomerStore
{

    private Container Container => containers.Customers;


    public async Task<Customer> CreateAsync(Customer customer, CancellationToken cancellationToken)
    {
        var response = await WriteAsync(customer, () => Container.CreateItemAsync(
            CustomerDocument.From(customer), new PartitionKey(customer.Tenant.Key), cancellationToken: cancellationToken), cancellationToken);
        return customer with { ETag = response.ETag };
    }

    public async Task<Customer?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<CustomerDocument>(Container, id, new PartitionKey(tenant.Key), cancellationToken);
        return response?.Resource.ToCustomer(tenant, response.ETag);
    }

    public async Task<Customer> ReplaceAsync(Customer customer, string expectedETag, CancellationToken cancellationToken)
    {
        var response = await WriteAsync(customer, () => CosmosCalls.ReplaceAsync(
            Container, CustomerDocument.From(customer), customer.Id, new PartitionKey(customer.Tenant.Key), expectedETag, cancellationToken), cancellationToken);
        return customer with { ETag = response.ETag };
    }

    public async Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => Container.DeleteItemAsync<CustomerDocument>(id, new PartitionKey(tenant.Key), cancellationToken: cancellationToken));
            return true;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<Customer>> FindByPhonesAsync(Tenant tenant, IReadOnlyCollection<string> phones, CancellationToken cancellationToken)
    {
        if (phones.Count == 0)
        {
            return [];
        }
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND ARRAY_CONTAINS(@phones, c.phone)")
            .WithParameter("@tenant", tenant.Key).WithParameter("@phones", phones.ToArray());
        var docs = await CosmosCalls.QueryAsync<CustomerDocument>(Container, query, new QueryRequestOptions { PartitionKey = new PartitionKey(tenant.Key) }, cancellationToken);
        return [.. docs.Select(d => d.ToCustomer(tenant, d.ETag!))];
    }

    /// <summary>Two single-partition queries: the page (OFFSET/LIMIT) and its total (COUNT); a walk, one query.</summary>
    public async Task<Page<Customer>> ListAsync(Tenant tenant, CustomerFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var where = "c.tenantId = @tenant";
        var parameters = new Dictionary<string, object> { ["@tenant"] = tenant.Key };
        if (filter.Search is { } search)
        {
            where += " AND CONTAINS(c.searchText, @search)";
            parameters["@search"] = CustomerMatching.SearchTerm(search);
        }
        if (filter.Tag is { } tag)
        {
            where += " AND ARRAY_CONTAINS(c.tags, @tag)";
            parameters["@tag"] = tag;
        }
        if (filter.Email is { } email)
        {
            where += " AND c.emailKey = @email";
            parameters["@email"] = CustomerMatching.EmailKey(email)!;
        }
        if (filter.Phone is { } phone)
        {
            where += " AND c.phone = @phone";
            parameters["@phone"] = phone;
        }
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(tenant.Key) };
        if (page.ByCursor)
        {
            var walked = await CosmosCalls.QueryAsync<CustomerDocument>(Container, CosmosWalk.Query(page, where, parameters), options, cancellationToken);
            return Page<Customer>.Walked([.. walked.Select(d => d.ToCustomer(tenant, d.ETag ?? ""))], page, c => new ListPosition(c.CreatedAt, c.Id));
        }
        var pageQuery = CosmosCalls.Parameterize(
            new QueryDefinition($"SELECT * FROM c WHERE {where} ORDER BY c.createdAt DESC, c.id DESC OFFSET @skip LIMIT @take"),
            parameters).WithParameter("@skip", page.Skip).WithParameter("@take", page.PerPage);
        var countQuery = CosmosCalls.Parameterize(new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {where}"), parameters);
        var docs = await CosmosCalls.QueryAsync<CustomerDocument>(Container, pageQuery, options, cancellationToken);
        var counts = await CosmosCalls.QueryAsync<long>(Container, countQuery, options, cancellationToken);
        return new Page<Customer>(docs.Select(d => d.ToCustomer(tenant, d.ETag ?? "")).ToArray(), counts.Sum());
    }

    /// <summary>A 409 on a unique key does not say which; one query on that rare path names the field.</summary>
    private async Task<ItemResponse<CustomerDocument>> WriteAsync(
        Customer customer, Func<Task<ItemResponse<CustomerDocument>>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await CosmosCalls.RunAsync(write);
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            var emailKey = CustomerMatching.EmailKey(customer.Email);
            var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant AND c.emailKey = @email AND c.id != @id")
                .WithParameter("@tenant", customer.Tenant.Key).WithParameter("@email", emailKey).WithParameter("@id", customer.Id);
            var sameEmail = emailKey is not null && (await CosmosCalls.QueryAsync<long>(
                Container, query, new QueryRequestOptions { PartitionKey = new PartitionKey(customer.Tenant.Key) }, cancellationToken)).Sum() > 0;
            throw new DuplicateValueException(sameEmail ? "email" : "phone");
        }
    }

    /// <param name="EmailKey">Lower-cased email, or a per-customer placeholder: Cosmos unique keys treat a missing value as one shared null.</param>
    internal sealed record CustomerDocument(
        string Id,
        string TenantId,
        string Name,
        string? Email,
        string EmailKey,
        string? Phone,
        string PhoneKey,
        IReadOnlyList<string> Tags,
        Dictionary<string, JsonElement> CustomFields,
        string SearchText,
        string CreatedAt,
        string UpdatedAt,
        IReadOnlyList<DomainEvent> Outbox,
        bool HasOutbox,
        [property: System.Text.Json.Serialization.JsonPropertyName("_etag")] string? ETag = null)
    {
        public static CustomerDocument From(Customer c) => new(
            c.Id, c.Tenant.Key, c.Name, c.Email, CustomerMatching.EmailKey(c.Email) ?? $"none:{c.Id}", c.Phone,
            c.Phone ?? $"none:{c.Id}", c.Tags, new Dictionary<string, JsonElement>(c.CustomFields),
            CustomerMatching.SearchText(c), StoredTime.Format(c.CreatedAt), StoredTime.Format(c.UpdatedAt), c.Outbox, c.Outbox.Count > 0);

        public Customer ToCustomer(Tenant tenant, string etag) => new(
            Id, tenant, Name, Email, Phone, Tags, CustomFields, StoredTime.Parse(CreatedAt), StoredTime.Parse(UpdatedAt), Outbox ?? [], etag);
    }
}
