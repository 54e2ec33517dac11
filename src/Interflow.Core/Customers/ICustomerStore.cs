using Interflow.Core.Accounts;
using Interflow.Core.Paging;

namespace Interflow.Core.Customers;

/// <summary>
/// Customers of one tenant. Email (case-insensitively) and phone are unique per tenant: a write that would repeat
/// one throws <see cref="DuplicateValueException"/> naming the field.
/// </summary>
public interface ICustomerStore
{
    /// <returns>The customer with its new ETag.</returns>
    Task<Customer> CreateAsync(Customer customer, CancellationToken cancellationToken);

    Task<Customer?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <summary>Replaces the stored customer only if it still has <paramref name="expectedETag"/>.</summary>
    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    /// <exception cref="NotFoundException">It was deleted meanwhile.</exception>
    Task<Customer> ReplaceAsync(Customer customer, string expectedETag, CancellationToken cancellationToken);

    /// <returns>False when there was nothing to delete.</returns>
    Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's customers with these phone numbers, in one query.</summary>
    Task<IReadOnlyList<Customer>> FindByPhonesAsync(Tenant tenant, IReadOnlyCollection<string> phones, CancellationToken cancellationToken);

    /// <summary>Newest first (created_at, then id, descending).</summary>
    Task<Page<Customer>> ListAsync(Tenant tenant, CustomerFilter filter, PageRequest page, CancellationToken cancellationToken);
}
