using System.Globalization;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Paging;
using Interflow.Core.Validation;

namespace Interflow.Core.Customers;

/// <summary>The customer use cases that change state: create, update (merge), delete, and find-or-create by phone.</summary>
public sealed class CustomerCommands(ICustomerStore store, EventFactory events, EventRelay relay, TimeProvider clock)
{
    // Without If-Match a PUT is a read-modify-write retried on a concurrent change, so no write is lost; a caller
    // racing more than this many writers on one customer gets 412 and can retry.
    private const int MaxOptimisticAttempts = 10;

    public async Task<Customer> CreateAsync(Tenant tenant, NewCustomer input, CancellationToken cancellationToken)
    {
        var customer = New(tenant, input, clock.GetUtcNow());
        try
        {
            customer = await store.CreateAsync(customer, cancellationToken);
        }
        catch (DuplicateValueException duplicate)
        {
            throw new ConflictException(duplicate.Field);
        }
        await relay.TryRelayAsync(Outbox(customer), cancellationToken);
        return customer;
    }

    /// <summary>The customer with this phone, created (named after the number, or the profile name a provider gave) when absent.</summary>
    public async Task<Customer> FindOrCreateByPhoneAsync(Tenant tenant, string phone, string? name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var found = await store.ListAsync(tenant, new CustomerFilter(Phone: phone), new PageRequest(1, 1), cancellationToken);
            if (found.Items.Count == 1)
            {
                return found.Items[0];
            }
            try
            {
                return await CreateAsync(tenant, ByPhone(phone, name), cancellationToken);
            }
            catch (ConflictException) when (attempt == 0)
            {
                // Created concurrently by another request: read it.
            }
        }
    }

    /// <param name="precondition">The caller's If-Match: when given, the update applies only to a version it accepts.</param>
    public async Task<Customer> UpdateAsync(
        Tenant tenant, string id, CustomerChanges changes, Func<Customer, bool>? precondition, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
            if (precondition is not null && !precondition(current))
            {
                throw new VersionMismatchException();
            }
            var updated = Apply(current, changes);
            try
            {
                updated = await store.ReplaceAsync(updated, current.ETag, cancellationToken);
                await relay.TryRelayAsync(Outbox(updated), cancellationToken);
                return updated;
            }
            catch (VersionMismatchException) when (precondition is null && attempt < MaxOptimisticAttempts)
            {
            }
            catch (DuplicateValueException duplicate)
            {
                throw new ConflictException(duplicate.Field);
            }
        }
    }

    /// <summary>
    /// A deleted record has no outbox to carry its event, so <c>customer.deleted</c> is relayed first, then the record
    /// deleted. A crash in between announces a deletion that the client's retry then completes (the event id is the
    /// same, so subscribers see it once); it never deletes without the event.
    /// </summary>
    public async Task DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var customer = await store.GetAsync(tenant, id, cancellationToken) ?? throw new NotFoundException();
        var deleted = events.Create(EventTypes.CustomerDeleted, customer.Id, customer, clock.GetUtcNow());
        await relay.RelayAsync(new OutboxEntry(CustomerKind, tenant, customer.Id, customer.ETag, [.. customer.Outbox, deleted]), cancellationToken);
        if (!await store.DeleteAsync(tenant, id, cancellationToken))
        {
            throw new NotFoundException();
        }
    }

    /// <summary>A new customer record, not yet stored, with its <c>customer.created</c> in its outbox.</summary>
    public Customer New(Tenant tenant, NewCustomer input, DateTimeOffset now)
    {
        var customer = new Customer(Ids.New("cust"), tenant, input.Name, input.Email, input.Phone, input.Tags, input.CustomFields, now, now, []);
        return customer with { Outbox = [events.Create(EventTypes.CustomerCreated, customer.Id, customer, now)] };
    }

    /// <summary>What a customer first known by a send or a message is: named after the number, or the profile name a provider gave.</summary>
    public static NewCustomer ByPhone(string phone, string? name) => new(name ?? "+" + phone, null, phone, [], new Dictionary<string, JsonElement>());

    public static OutboxEntry Outbox(Customer customer) =>
        new(CustomerKind, customer.Tenant, customer.Id, customer.ETag, customer.Outbox);

    public const string CustomerKind = "customers";

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
        var now = clock.GetUtcNow();
        var updated = current with
        {
            Name = changes.Name.Or(current.Name),
            Email = changes.Email.Or(current.Email),
            Phone = changes.Phone.Or(current.Phone),
            Tags = changes.Tags.Or(current.Tags),
            CustomFields = fields,
            UpdatedAt = now,
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
        var updatedEvent = events.Create(EventTypes.CustomerUpdated, updated.Id, updated with { Outbox = [] }, now, now.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return updated with { Outbox = [.. current.Outbox, updatedEvent] };
    }
}
