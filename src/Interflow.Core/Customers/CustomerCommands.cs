using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Validation;

namespace Interflow.Core.Customers;

/// <summary>The customer use cases that change state: create, update (merge), delete.</summary>
public sealed class CustomerCommands(ICustomerStore store, TimeProvider clock)
{
    // Without If-Match a PUT is a read-modify-write retried on a concurrent change, so no write is lost; a caller
    // racing more than this many writers on one customer gets 412 and can retry.
    private const int MaxOptimisticAttempts = 10;

    public async Task<Customer> CreateAsync(Tenant tenant, NewCustomer input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var customer = new Customer(
            Ids.New("cust"), tenant, input.Name, input.Email, input.Phone, input.Tags, input.CustomFields, now, now);
        try
        {
            return await store.CreateAsync(customer, cancellationToken);
        }
        catch (DuplicateValueException duplicate)
        {
            throw new ConflictException(duplicate.Field);
        }
    }

    /// <param name="ifMatch">The caller's ETag; when given, the update applies only to that version.</param>
    public async Task<Customer> UpdateAsync(
        Tenant tenant, string id, CustomerChanges changes, string? ifMatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
            if (ifMatch is not null && ifMatch != current.ETag)
            {
                throw new VersionMismatchException();
            }
            var updated = Apply(current, changes);
            try
            {
                return await store.ReplaceAsync(updated, current.ETag, cancellationToken);
            }
            catch (VersionMismatchException) when (ifMatch is null && attempt < MaxOptimisticAttempts)
            {
            }
            catch (DuplicateValueException duplicate)
            {
                throw new ConflictException(duplicate.Field);
            }
        }
    }

    public async Task DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(tenant, id, cancellationToken))
        {
            throw new NotFoundException();
        }
    }

    private Customer Apply(Customer current, CustomerChanges changes)
    {
        var fields = new Dictionary<string, JsonElement>(current.CustomFields);
        foreach (var (key, value) in changes.CustomFields)
        {
            if (value is { } set)
            {
                fields[key] = set;
            }
            else
            {
                fields.Remove(key);
            }
        }
        var updated = current with
        {
            Name = changes.Name.Or(current.Name),
            Email = changes.Email.Or(current.Email),
            Phone = changes.Phone.Or(current.Phone),
            Tags = changes.Tags.Or(current.Tags),
            CustomFields = fields,
            UpdatedAt = clock.GetUtcNow(),
        };

        // The merged record must still satisfy what a new one must.
        var errors = new FieldErrors();
        if (updated.Email is null && updated.Phone is null)
        {
            errors.Add("email", FieldProblem.OneOfRequired, "email, phone");
        }
        if (fields.Count > CustomerLimits.MaxCustomFields)
        {
            errors.Add("custom_fields", FieldProblem.TooManyItems, CustomerLimits.MaxCustomFields);
        }
        errors.ThrowIfAny();
        return updated;
    }
}
