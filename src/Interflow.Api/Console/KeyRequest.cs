using System.Globalization;
using System.Text.Json;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Validation;

namespace Interflow.Api.Console;

/// <summary>A key to create, as the console and the operator routes take it: name, environment, and its limits.</summary>
public sealed record KeyRequest(string Name, ApiEnvironment Environment, DateTimeOffset? ExpiresAt, KeyRestrictions? Restrictions)
{
    /// <summary>The furthest a key may be made to expire: a key for longer has none (and is revoked by hand).</summary>
    public static readonly TimeSpan LongestExpiry = TimeSpan.FromDays(731);

    public static KeyRequest Read(JsonElement body, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(body, errors);
        var name = fields.RequiredString("name", 100);
        var environmentName = fields.RequiredString("environment", 10);
        var expires = fields.String("expires_at", 40);
        var restrictions = ReadRestrictions(fields);
        fields.RejectUnknown();
        if (environmentName is not null && !ApiEnvironmentNames.TryParse(environmentName, out _))
        {
            errors.Add("environment", FieldProblem.InvalidValue, "live, test");
        }
        DateTimeOffset? expiresAt = null;
        if (expires.Value is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed > now && parsed <= now + LongestExpiry)
            {
                expiresAt = parsed.ToUniversalTime();
            }
            else
            {
                errors.Add("expires_at", FieldProblem.InvalidValue, "an ISO 8601 date-time in the next 2 years");
            }
        }
        errors.ThrowIfAny();
        return new KeyRequest(name!, ApiEnvironmentNames.Parse(environmentName!), expiresAt, restrictions);
    }

    /// <summary><c>restrictions</c>: an object naming resources, each <c>none</c>, <c>read</c> or <c>write</c>; absent or null for full access.</summary>
    private static KeyRestrictions? ReadRestrictions(JsonFields fields)
    {
        var section = fields.Object("restrictions");
        if (section is null)
        {
            return null;
        }
        var grants = new Dictionary<string, ResourceAccess>();
        foreach (var resource in KeyRestrictions.ResourceNames)
        {
            if (section.String(resource, 10, nullable: false).Value is { } access)
            {
                if (EnumNames.TryParse<ResourceAccess>(access, out var granted))
                {
                    grants[resource] = granted;
                }
                else
                {
                    section.Add(resource, FieldProblem.InvalidValue, EnumNames.List<ResourceAccess>());
                }
            }
        }
        section.RejectUnknown();
        return new KeyRestrictions(grants);
    }
}
