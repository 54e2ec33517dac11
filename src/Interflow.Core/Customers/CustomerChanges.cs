using System.Text.Json;

namespace Interflow.Core.Customers;

/// <summary>A validated, normalized new customer (email trimmed, phone as E.164 digits).</summary>
public sealed record NewCustomer(
    string Name,
    string? Email,
    string? Phone,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, JsonElement> CustomFields);

/// <summary>
/// A validated partial update: fields present replace what is stored; <see cref="CustomFields"/> merges key by key,
/// a null value removing that key.
/// </summary>
public sealed record CustomerChanges(
    Optional<string> Name,
    Optional<string?> Email,
    Optional<string?> Phone,
    Optional<IReadOnlyList<string>> Tags,
    IReadOnlyDictionary<string, JsonElement?> CustomFields);
