using System.ComponentModel.DataAnnotations;
using Interflow.Api.OpenApi;
using Interflow.Core.Accounts;

namespace Interflow.Api.Console;

// The documented shapes of the console's and the operator's key and member bodies; the handlers validate them.

/// <param name="ExpiresAt">When the key stops working (ISO 8601, within 2 years); absent for never.</param>
/// <param name="Restrictions">Per resource none, read or write; absent or null for the environment's full access.</param>
public sealed record NewKeyBody(
    [property: Required, Length(1, 100)] string Name,
    [property: Required, EnumOf(typeof(ApiEnvironment))] string Environment,
    DateTimeOffset? ExpiresAt,
    RestrictionsBody? Restrictions);

public sealed record RestrictionsBody(
    [property: EnumOf(typeof(ResourceAccess))] string? Customers,
    [property: EnumOf(typeof(ResourceAccess))] string? Messages,
    [property: EnumOf(typeof(ResourceAccess))] string? Bulk,
    [property: EnumOf(typeof(ResourceAccess))] string? Chats,
    [property: EnumOf(typeof(ResourceAccess))] string? Webhooks,
    [property: EnumOf(typeof(ResourceAccess))] string? Channels);

/// <param name="Grace">How long the old key keeps working: now, 1h, 24h or 7d.</param>
public sealed record RollKeyBody([property: Required, AllowedValues("now", "1h", "24h", "7d")] string Grace);

/// <param name="Issuer">The platform sign-in's issuer (Microsoft Entra ID: https://login.microsoftonline.com/{tenant}/v2.0); absent to sign in by link.</param>
/// <param name="Subject">The identity's subject there (Entra ID: the object id); with issuer.</param>
public sealed record NewMemberBody(
    [property: Required, Length(1, 200)] string Name,
    [property: EmailAddress, Length(1, 254)] string? Email,
    [property: Required, EnumOf(typeof(MemberRole))] string Role,
    [property: Length(1, 300)] string? Issuer,
    [property: Length(1, 300)] string? Subject);
