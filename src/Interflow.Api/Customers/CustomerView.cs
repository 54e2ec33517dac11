using Interflow.Api.OpenApi;
using System.Text.Json;
using Interflow.Core.Customers;

namespace Interflow.Api.Customers;

/// <summary>A customer as the API shows it (the seed's shape, plus <c>updated_at</c>).</summary>
public sealed record CustomerView(
    string Id,
    string Name,
    string? Email,
    string? Phone,
    IReadOnlyList<string> Tags,
    [property: ScalarValues] IReadOnlyDictionary<string, JsonElement> CustomFields,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CustomerView From(Customer customer) => new(
        customer.Id, customer.Name, customer.Email, customer.Phone, customer.Tags, customer.CustomFields,
        customer.CreatedAt, customer.UpdatedAt);
}
