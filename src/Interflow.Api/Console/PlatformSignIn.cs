using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Interflow.Api.Console;

/// <summary>Who the platform signed in: the issuer and subject a member is added with, and how to show them.</summary>
public sealed record PlatformIdentity(string Issuer, string Subject, string? Name, string? Email);

/// <summary>
/// App Service built-in authentication (Easy Auth). Its <c>X-MS-CLIENT-PRINCIPAL</c> header is believed only when the
/// platform says its authentication is on (<c>WEBSITE_AUTH_ENABLED</c>, which App Service sets from
/// <c>authsettingsV2</c> and strips any caller's copy of the header): anywhere else anyone could send it, so it is
/// ignored, and no forged header signs anyone in.
/// </summary>
public sealed class PlatformSignIn(IConfiguration configuration)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    private static readonly string[] SubjectClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", "sub", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"];
    private static readonly string[] EmailClaims = ["preferred_username", "email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];

    public bool IsOn => string.Equals(configuration[EnabledSetting], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The signed-in identity, when the platform's sign-in is on and it names one; null otherwise.</summary>
    public PlatformIdentity? IdentityOf(HttpRequest request)
    {
        if (!IsOn || request.Headers[PrincipalHeader].ToString() is not { Length: > 0 } encoded)
        {
            return null;
        }
        try
        {
            using var principal = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            var claims = principal.RootElement.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "", Value: c.GetProperty("val").GetString() ?? ""))
                .ToArray();
            string? Claim(params string[] types) => types.Select(t => claims.FirstOrDefault(c => c.Type == t).Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            var provider = principal.RootElement.TryGetProperty("auth_typ", out var type) ? type.GetString() : null;
            return Claim(SubjectClaims) is { } subject && (Claim("iss") ?? (provider is null ? null : $"idp:{provider}")) is { } issuer
                ? new PlatformIdentity(issuer, subject, Claim("name"), Claim(EmailClaims))
                : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
