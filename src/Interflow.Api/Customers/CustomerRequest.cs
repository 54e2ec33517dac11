using System.Net.Mail;
using System.Text.Json;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Customers;
using Interflow.Core.Validation;

namespace Interflow.Api.Customers;

/// <summary>Reads and validates customer bodies: every bad field is reported in one 422.</summary>
public static class CustomerRequest
{
    public static NewCustomer ReadNew(JsonElement body)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(body, errors);
        var name = fields.RequiredString("name", CustomerLimits.NameMaxLength);
        var email = Email(fields);
        var phone = Phone(fields);
        var tags = fields.StringList("tags", CustomerLimits.MaxTags, CustomerLimits.TagMaxLength);
        var custom = CustomFields(fields, allowNull: false);
        fields.RejectUnknown();
        if (fields.IsObject && email.Value is null && phone.Value is null && !errors.Any)
        {
            errors.Add("email", FieldProblem.OneOfRequired, "email, phone");
        }
        errors.ThrowIfAny();
        return new NewCustomer(
            name!, email.Value, phone.Value, tags.Or([]),
            custom.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.Value));
    }

    public static CustomerChanges ReadChanges(JsonElement body)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(body, errors);
        var name = fields.String("name", CustomerLimits.NameMaxLength, nullable: false);
        var email = Email(fields);
        var phone = Phone(fields);
        var tags = fields.StringList("tags", CustomerLimits.MaxTags, CustomerLimits.TagMaxLength);
        var custom = CustomFields(fields, allowNull: true);
        fields.RejectUnknown();
        errors.ThrowIfAny();
        return new CustomerChanges(new Optional<string>(name.IsSet, name.Value!), email, phone, tags, custom);
    }

    /// <summary>A filter or body phone: E.164 digits, checked as a real number.</summary>
    public static bool TryPhone(string value, out string digits) => PhoneNumber.TryNormalize(value, out digits);

    private static Optional<string?> Email(JsonFields fields)
    {
        var email = fields.String("email", CustomerLimits.EmailMaxLength);
        if (email.Value is { } text && !IsEmail(text))
        {
            fields.Add("email", FieldProblem.InvalidEmail);
            return Optional<string?>.Unset;
        }
        return email;
    }

    private static Optional<string?> Phone(JsonFields fields)
    {
        var phone = fields.String("phone", 16);
        if (phone.Value is { } text)
        {
            if (!TryPhone(text, out var digits))
            {
                fields.Add("phone", FieldProblem.InvalidPhone);
                return Optional<string?>.Unset;
            }
            return Optional<string?>.Of(digits);
        }
        return phone;
    }

    private static bool IsEmail(string text) =>
        MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !address.Host.EndsWith('.');

    /// <summary>An object of at most 50 scalar values; with <paramref name="allowNull"/> a null marks a key to remove.</summary>
    private static Dictionary<string, JsonElement?> CustomFields(JsonFields fields, bool allowNull)
    {
        var result = new Dictionary<string, JsonElement?>();
        var field = fields.Get("custom_fields");
        if (!field.IsSet)
        {
            return result;
        }
        if (field.Value.ValueKind != JsonValueKind.Object)
        {
            fields.Add("custom_fields", FieldProblem.MustBeObject);
            return result;
        }
        var count = 0;
        foreach (var property in field.Value.EnumerateObject())
        {
            count++;
            if (property.Name.Length is 0 or > CustomerLimits.CustomFieldKeyMaxLength)
            {
                fields.Add($"custom_fields.{property.Name}", FieldProblem.OutOfRange, (1, CustomerLimits.CustomFieldKeyMaxLength));
                continue;
            }
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String when property.Value.GetString()!.Length > CustomerLimits.CustomFieldValueMaxLength:
                    fields.Add($"custom_fields.{property.Name}", FieldProblem.TooLong, CustomerLimits.CustomFieldValueMaxLength);
                    break;
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    result[property.Name] = property.Value.Clone();
                    break;
                case JsonValueKind.Null when allowNull:
                    result[property.Name] = null;
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    fields.Add($"custom_fields.{property.Name}", FieldProblem.MustBeScalar);
                    break;
            }
        }
        if (count > CustomerLimits.MaxCustomFields)
        {
            fields.Add("custom_fields", FieldProblem.TooManyItems, CustomerLimits.MaxCustomFields);
        }
        return result;
    }
}
