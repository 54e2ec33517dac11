using Interflow.Api.Http;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Console;

/// <summary>
/// The console: the page "Configurações → API Keys" (<c>/console/api-keys</c>, served by the app like the docs page) and
/// the calls it makes (<c>/console/api/…</c>), as the member signed in; and the local one-time sign-in.
/// </summary>
public static class ConsoleApi
{
    public const string Entry = "console";
    public const string PageRoute = "console/api-keys";
    public const string SignIn = "console/sign-in";
    public const string Session = "console/api/session";
    public const string SignOut = "console/api/sign-out";
    public const string Keys = "console/api/keys";
    public const string Roll = "console/api/keys/{keyId}/roll";
    public const string Revoke = "console/api/keys/{keyId}/revoke";
    public const string Activity = "console/api/activity";

    private const string Tag = "Console";
    private const int ActivityShown = 100;

    /// <summary>The path a one-time sign-in token is used at.</summary>
    public static string SignInPath(string token) => $"/{SignIn}?token={token}";

    private static readonly Lazy<string> PageHtml = new(() =>
    {
        using var stream = typeof(ConsoleApi).Assembly.GetManifestResourceStream("Interflow.Api.Console.console.html")
            ?? throw new InvalidOperationException("the console page is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static readonly ApiRoute EntryRoute = new("GET", Entry, "ConsoleEntry", "The console: leads to its API keys page", RouteAccess.Public,
        request => Task.FromResult(ApiResult.SeeOther(request.Http.Response, "/" + PageRoute)))
    {
        Tag = Tag,
        Responses = [ApiResponse.Redirect("To /console/api-keys")],
    };

    public static readonly ApiRoute Page = new("GET", PageRoute, "GetConsoleApiKeysPage", "Configurações → API Keys, as a web page", RouteAccess.Public,
        _ => Task.FromResult(ApiResult.Raw(PageHtml.Value, "text/html; charset=utf-8")))
    {
        Tag = Tag,
        Responses = [ApiResponse.Raw("text/html", "The page; it signs in and calls /console/api/… from the browser")],
    };

    public static readonly ApiRoute SignInRoute = new("GET", SignIn, "ConsoleSignIn", "Use a one-time sign-in link (local runs only)", RouteAccess.Public, SignInAsync)
    {
        Tag = Tag,
        Query = [new QueryParameter("token", "The link's one-time token")],
        Responses = [ApiResponse.Redirect("Signed in: the session cookie is set, on to /console/api-keys")],
        Errors = [ErrorCode.Unauthorized, ErrorCode.Forbidden],
    };

    public static readonly ApiRoute SessionRoute = new("GET", Session, "GetConsoleSession", "Who is signed in, and the anti-forgery token", RouteAccess.Console,
        request => Task.FromResult(ApiResult.Ok(SessionView(request.ConsoleCaller))))
    {
        Tag = Tag,
        Responses = [ApiResponse.Ok<ConsoleSessionView>("The session")],
    };

    public static readonly ApiRoute SignOutRoute = new("POST", SignOut, "ConsoleSignOut", "End the session", RouteAccess.Console, SignOutAsync)
    {
        Tag = Tag,
        AcceptsEmptyBody = true,
        Responses = [ApiResponse.Ok<SignedOutView>("Signed out: the cookie is cleared")],
    };

    public static readonly ApiRoute ListKeys = new("GET", Keys, "ConsoleListApiKeys", "The account's keys, both environments, never a secret", RouteAccess.Console, ListKeysAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.ListOf<ConsoleKeyView>("Every key of the account (one page)")],
    };

    public static readonly ApiRoute CreateKey = new("POST", Keys, "ConsoleCreateApiKey", "Gerar nova chave: the secret is shown this once", RouteAccess.Console, CreateKeyAsync)
    {
        Tag = Tag,
        Body = typeof(NewKeyBody),
        RequestExample = """{"name": "Backend de produção", "environment": "live", "restrictions": {"customers": "read", "messages": "write"}}""",
        Responses = [new ApiResponse(201, "The key with its secret, shown this once", typeof(CreatedConsoleKeyView))],
        Errors = [ErrorCode.Forbidden],
    };

    public static readonly ApiRoute RollKey = new("POST", Roll, "ConsoleRollApiKey", "Roll a key: a new secret, the old one working for a grace period", RouteAccess.Console, RollKeyAsync)
    {
        Tag = Tag,
        Body = typeof(RollKeyBody),
        RequestExample = """{"grace": "24h"}""",
        Responses = [new ApiResponse(201, "The new key with its secret (shown this once) and the old key", typeof(RolledKeyView))],
        Errors = [ErrorCode.Forbidden, ErrorCode.Conflict],
    };

    public static readonly ApiRoute RevokeKey = new("POST", Revoke, "ConsoleRevokeApiKey", "Revoke a key", RouteAccess.Console, RevokeKeyAsync)
    {
        Tag = Tag,
        AcceptsEmptyBody = true,
        Responses = [ApiResponse.Ok<ConsoleKeyView>("The key, revoked")],
        Errors = [ErrorCode.Forbidden],
    };

    public static readonly ApiRoute ListActivity = new("GET", Activity, "ConsoleListKeyActivity", "Who created, rolled and revoked which key, newest first", RouteAccess.Console, ListActivityAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.ListOf<KeyActivityView>($"The latest {ActivityShown} changes")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [EntryRoute, Page, SignInRoute, SessionRoute, SignOutRoute, ListKeys, CreateKey, RollKey, RevokeKey, ListActivity];

    private static readonly Dictionary<string, TimeSpan> Graces = new()
    {
        ["now"] = TimeSpan.Zero,
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
    };

    private static async Task<ApiResult> SignInAsync(ApiRequest request)
    {
        if (request.Service<PlatformSignIn>().IsOn)
        {
            throw new ApiException(ErrorCode.Forbidden, ErrorText.LocalSignInOff);
        }
        var errors = new FieldErrors();
        var token = new QueryFields(request.Request.Query, errors).Text("token", 100);
        if (token is null && !errors.Any)
        {
            errors.Add("token", FieldProblem.Required);
        }
        errors.ThrowIfAny();
        var started = await request.Service<ConsoleSessions>().SignInWithLinkAsync(token!, request.Aborted)
            ?? throw new ApiException(ErrorCode.Unauthorized, ErrorText.SignInLinkInvalid);
        ConsoleAuthenticator.SetCookie(request.Http, started.Token, started.Session.ExpiresAt);
        return ApiResult.SeeOther(request.Http.Response, "/" + PageRoute);
    }

    private static async Task<ApiResult> SignOutAsync(ApiRequest request)
    {
        await request.Service<ConsoleSessions>().SignOutAsync(request.ConsoleCaller.Session, request.Aborted);
        ConsoleAuthenticator.ClearCookie(request.Http);
        return ApiResult.Ok(new SignedOutView(true));
    }

    private static async Task<ApiResult> ListKeysAsync(ApiRequest request)
    {
        var now = request.Service<TimeProvider>().GetUtcNow();
        var keys = await request.Service<AccountAdministration>().ListKeysAsync(request.ConsoleCaller.Account.Id, request.Aborted);
        return ApiResult.List([.. keys.OrderByDescending(k => k.CreatedAt).Select(k => ConsoleKeyView.From(k, now))]);
    }

    private static async Task<ApiResult> CreateKeyAsync(ApiRequest request)
    {
        var caller = request.ConsoleCaller;
        caller.RequireKeyChanges();
        var clock = request.Service<TimeProvider>();
        var wanted = KeyRequest.Read(request.Body, clock.GetUtcNow());
        var (key, secret) = await request.Service<AccountAdministration>().CreateKeyAsync(
            caller.Account.Id, wanted.Name, wanted.Environment, request.Aborted, wanted.ExpiresAt, wanted.Restrictions, caller.Member.Actor);
        return ApiResult.Created(new CreatedConsoleKeyView(ConsoleKeyView.From(key, clock.GetUtcNow()), secret));
    }

    private static async Task<ApiResult> RollKeyAsync(ApiRequest request)
    {
        var caller = request.ConsoleCaller;
        caller.RequireKeyChanges();
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var grace = fields.RequiredString("grace", 10);
        fields.RejectUnknown();
        if (grace is not null && !Graces.ContainsKey(grace))
        {
            errors.Add("grace", FieldProblem.InvalidValue, string.Join(", ", Graces.Keys));
        }
        errors.ThrowIfAny();
        var administration = request.Service<AccountAdministration>();
        var clock = request.Service<TimeProvider>();
        var old = await administration.GetKeyAsync(caller.Account.Id, request.RouteValue("keyId"), request.Aborted);
        if (old.StateAt(clock.GetUtcNow()) is ApiKeyState.Revoked or ApiKeyState.Expired)
        {
            throw new ApiException(ErrorCode.Conflict, ErrorText.KeyNotActive);
        }
        var (key, secret, previous) = await administration.RollKeyAsync(old, Graces[grace!], caller.Member.Actor, request.Aborted);
        request.Service<ApiKeyAuthenticator>().Forget(old.SecretHash);
        var now = clock.GetUtcNow();
        return ApiResult.Created(new RolledKeyView(ConsoleKeyView.From(key, now), secret, ConsoleKeyView.From(previous, now)));
    }

    private static async Task<ApiResult> RevokeKeyAsync(ApiRequest request)
    {
        var caller = request.ConsoleCaller;
        caller.RequireKeyChanges();
        var key = await request.Service<AccountAdministration>().RevokeKeyAsync(caller.Account.Id, request.RouteValue("keyId"), request.Aborted, caller.Member.Actor);
        // Here at once; other instances within the key cache's lifetime (Interflow:ApiKeyCacheSeconds).
        request.Service<ApiKeyAuthenticator>().Forget(key.SecretHash);
        return ApiResult.Ok(ConsoleKeyView.From(key, request.Service<TimeProvider>().GetUtcNow()));
    }

    private static async Task<ApiResult> ListActivityAsync(ApiRequest request)
    {
        var activity = await request.Service<AccountAdministration>().ListActivityAsync(request.ConsoleCaller.Account.Id, ActivityShown, request.Aborted);
        return ApiResult.List([.. activity.Select(KeyActivityView.From)]);
    }

    private static ConsoleSessionView SessionView(ConsoleCaller caller) => new(
        new ConsoleAccountView(caller.Account.Id, caller.Account.Name, caller.Account.Plan.ToName()), MemberView.From(caller.Member),
        caller.Member.CanChangeKeys, caller.Session.CsrfToken, caller.Session.ExpiresAt);
}
