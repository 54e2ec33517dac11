using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Core.Customers;

/// <param name="CustomFields">Scalar JSON values (string, number, boolean) by key.</param>
/// <param name="Outbox">Events of the last write, not yet relayed to the event log.</param>
/// <param name="ETag">The store's version of this record; changes with every write.</param>
public sealed record Customer(
    string Id,
    Tenant Tenant,
    string Name,
    string? Email,
    string? Phone,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, JsonElement> CustomFields,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DomainEvent> Outbox,
    string ETag = "");

public static class CustomerLimits
{
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 254;
    public const int MaxTags = 50;
    public const int TagMaxLength = 50;
    public const int MaxCustomFields = 50;
    public const int CustomFieldKeyMaxLength = 100;
    public const int CustomFieldValueMaxLength = 1000;
    public const int SearchMaxLength = 200;
}
