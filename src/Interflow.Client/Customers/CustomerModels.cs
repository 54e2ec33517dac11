using System.Text.Json;
using System.Text.Json.Serialization;

namespace Interflow.Client;

public sealed record Customer(
    string Id, string Name, string? Email, string? Phone, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, JsonElement> CustomFields,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : ApiResource;

/// <summary>A new customer: a name, and an email or a phone (E.164 digits, a leading '+' accepted) or both.</summary>
/// <param name="CustomFields">Scalar values: strings, numbers, booleans.</param>
public sealed record NewCustomer(
    string Name, string? Email = null, string? Phone = null, IReadOnlyList<string>? Tags = null, IReadOnlyDictionary<string, object>? CustomFields = null);

/// <summary>What to change: fields left null stay as they are.</summary>
/// <param name="CustomFields">Merged key by key; a null value removes the key.</param>
public sealed record CustomerChanges(
    string? Name = null, string? Email = null, string? Phone = null, IReadOnlyList<string>? Tags = null, IReadOnlyDictionary<string, object?>? CustomFields = null);

/// <summary>Filters of the customer list.</summary>
/// <param name="Search">Part of the name, email or phone, case-insensitively.</param>
public sealed record CustomerFilter(string? Search = null, string? Tag = null, string? Email = null, string? Phone = null);
