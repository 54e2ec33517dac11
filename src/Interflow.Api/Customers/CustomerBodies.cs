using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Interflow.Api.OpenApi;
using Interflow.Core.Customers;

namespace Interflow.Api.Customers;

// The documented shapes of the customer bodies; CustomerRequest is what validates them.

[RequiresOneOf(false, "email", "phone")]
public sealed record NewCustomerBody(
    [property: Required, Length(1, CustomerLimits.NameMaxLength)] string Name,
    [property: MaxLength(CustomerLimits.EmailMaxLength), Description("Unique per account and environment, case-insensitively")] string? Email,
    [property: MaxLength(16), Description("E.164 digits without '+' (a leading '+' is accepted), a real number; unique per account and environment")] string? Phone,
    [property: MaxLength(CustomerLimits.MaxTags), Items(MinLength = 1, MaxLength = CustomerLimits.TagMaxLength)] IReadOnlyList<string>? Tags,
    [property: MaxLength(CustomerLimits.MaxCustomFields), ScalarValues, Description("Your own fields: keys of 1-100 characters, scalar values")] IReadOnlyDictionary<string, JsonElement>? CustomFields);

[Description("Fields present replace the stored ones; custom_fields merge key by key, and a null value removes a key")]
public sealed record CustomerChangesBody(
    [property: Length(1, CustomerLimits.NameMaxLength)] string? Name,
    [property: MaxLength(CustomerLimits.EmailMaxLength)] string? Email,
    [property: MaxLength(16)] string? Phone,
    [property: MaxLength(CustomerLimits.MaxTags), Items(MinLength = 1, MaxLength = CustomerLimits.TagMaxLength)] IReadOnlyList<string>? Tags,
    [property: MaxLength(CustomerLimits.MaxCustomFields), ScalarValues(Nullable = true)] IReadOnlyDictionary<string, JsonElement?>? CustomFields);
