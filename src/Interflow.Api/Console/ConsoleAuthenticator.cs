using System.Security.Cryptography;
using System.Text;
using Interflow.Api.Http;
using Interflow.Core.Accounts;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Console;

/// <summary>The member a console call acts as, their session, and their account.</summary>
public sealed record ConsoleCaller(ConsoleSession Session, Member Member, Account Account)
{
    /// <summary>Viewers read; owners and developers change keys.</summary>
    public void RequireKeyChanges()
    {
        if (!Member.CanChangeKeys)
        {
            throw new ApiException(ErrorCode.Forbidden, ErrorText.ConsoleReadOnly, Core.EnumNames.Name(Member.Role));
        }
    }
}

/// <summary>
/// Signs console calls in: by the session cookie (<c>HttpOnly</c>, <c>SameSite=Strict</c>, <c>Secure</c> and
/// <c>__Host-</c> on https), or, where the platform's sign-in is on, by its identity, which starts a session. Every
/// state-changing call also needs the session's anti-forgery token in <c>X-CSRF-Token</c>. An API key never signs a
/// console call in: a leaked key cannot make keys.
/// </summary>
public sealed class ConsoleAuthenticator(ConsoleSessions sessions, IMemberStore members, IAccountStore accounts, PlatformSignIn platform)
{
    public const string Cookie = "interflow_console";
    public const string SecureCookie = "__Host-interflow_console";
    public const string AntiForgeryHeader = "X-CSRF-Token";

    public async Task<ConsoleCaller> AuthenticateAsync(HttpContext http, ApiRoute route, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (request.Headers.Authorization.Count > 0)
        {
            throw SignInRequired();
        }
        var identity = platform.IdentityOf(request);
        if (platform.IsOn && identity is null)
        {
            throw SignInRequired();
        }
        var resumed = TokenOf(request) is { } token ? await sessions.ResumeAsync(token, cancellationToken) : null;
        // Where the platform signs people in, a session is its signed-in identity's only.
        if (resumed is { } current && identity is not null && (current.Member.Issuer, current.Member.Subject) != (identity.Issuer, identity.Subject))
        {
            resumed = null;
        }
        // An identity that is a member of several accounts acts for the first it joined.
        if (resumed is null && identity is not null && HttpMethods.IsGet(route.Method)
            && await members.FindByIdentityAsync(identity.Issuer, identity.Subject, cancellationToken) is [var member, ..])
        {
            var (newToken, session) = await sessions.StartAsync(member, cancellationToken);
            SetCookie(http, newToken, session.ExpiresAt);
            resumed = (session, member);
        }
        if (resumed is not { } signedIn)
        {
            throw SignInRequired();
        }
        if (!HttpMethods.IsGet(route.Method) && !SameToken(request.Headers[AntiForgeryHeader].ToString(), signedIn.Session.CsrfToken))
        {
            throw new ApiException(ErrorCode.Forbidden, ErrorText.AntiForgeryTokenMissing);
        }
        var account = await accounts.GetAccountAsync(signedIn.Session.AccountId, cancellationToken) ?? throw SignInRequired();
        return new ConsoleCaller(signedIn.Session, signedIn.Member, account);
    }

    /// <summary>The session cookie: the browser sends it to this app only, never to script, and only from its own pages.</summary>
    public static void SetCookie(HttpContext http, string token, DateTimeOffset expires) =>
        http.Response.Cookies.Append(http.Request.IsHttps ? SecureCookie : Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = expires,
            IsEssential = true,
        });

    public static void ClearCookie(HttpContext http) =>
        http.Response.Cookies.Delete(http.Request.IsHttps ? SecureCookie : Cookie, new CookieOptions { Path = "/", Secure = http.Request.IsHttps });

    private static string? TokenOf(HttpRequest request) =>
        request.Cookies.TryGetValue(SecureCookie, out var secure) ? secure : request.Cookies.TryGetValue(Cookie, out var plain) ? plain : null;

    private static bool SameToken(string sent, string expected) =>
        sent.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));

    private static ApiException SignInRequired() => new(ErrorCode.Unauthorized, ErrorText.ConsoleSignInRequired);
}
