using Interflow.Api.Http;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Validation;

namespace Interflow.Api.Admin;

/// <summary>
/// The operator's surface, outside <c>/v1</c>: accounts and their keys. In Azure these functions carry
/// <c>AuthorizationLevel.Function</c>; the path avoids <c>admin/</c>, which the Functions host reserves.
/// </summary>
public static class AdminApi
{
    public const string Accounts = "manage/accounts";
    public const string Account = "manage/accounts/{accountId}";
    public const string Keys = "manage/accounts/{accountId}/keys";
    public const string Key = "manage/accounts/{accountId}/keys/{keyId}";
    public const string Members = "manage/accounts/{accountId}/members";
    public const string Member = "manage/accounts/{accountId}/members/{memberId}";
    public const string SignInLinks = "manage/accounts/{accountId}/members/{memberId}/sign-in-links";

    private const string Tag = "Operator";

    public static readonly ApiRoute CreateAccount = new("POST", Accounts, "AdminCreateAccount", "Create an account with a plan", RouteAccess.Admin, CreateAccountAsync)
    {
        Tag = Tag,
        Body = typeof(NewAccountBody),
        RequestExample = """{"name": "Loja Azul", "plan": "professional"}""",
        Responses = [new ApiResponse(201, "The account", typeof(AccountView))],
    };

    public static readonly ApiRoute GetAccount = new("GET", Account, "AdminGetAccount", "Get an account", RouteAccess.Admin, GetAccountAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.Ok<AccountView>("The account")],
    };

    public static readonly ApiRoute CreateKey = new("POST", Keys, "AdminCreateApiKey", "Create an API key (secret shown once), optionally expiring or restricted", RouteAccess.Admin, CreateKeyAsync)
    {
        Tag = Tag,
        Body = typeof(Console.NewKeyBody),
        Responses = [new ApiResponse(201, "The key with its secret, shown this once", typeof(CreatedApiKeyView))],
    };

    public static readonly ApiRoute ListKeys = new("GET", Keys, "AdminListApiKeys", "List an account's API keys", RouteAccess.Admin, ListKeysAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.ListOf<ApiKeyView>("Every key of the account (one page), never a secret")],
    };

    public static readonly ApiRoute RevokeKey = new("DELETE", Key, "AdminRevokeApiKey", "Revoke an API key", RouteAccess.Admin, RevokeKeyAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.Ok<ApiKeyView>("The key, revoked")],
    };

    public static readonly ApiRoute AddMember = new("POST", Members, "AdminAddMember", "Add a member to an account", RouteAccess.Admin, AddMemberAsync)
    {
        Tag = Tag,
        Body = typeof(Console.NewMemberBody),
        RequestExample = """{"name": "Ana Souza", "email": "ana@lojaazul.com.br", "role": "developer", "issuer": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0", "subject": "11111111-2222-3333-4444-555555555555"}""",
        Responses = [new ApiResponse(201, "The member", typeof(Console.MemberView))],
        Errors = [ErrorCode.Conflict],
    };

    public static readonly ApiRoute ListMembers = new("GET", Members, "AdminListMembers", "List an account's members", RouteAccess.Admin, ListMembersAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.ListOf<Console.MemberView>("Every member of the account")],
    };

    public static readonly ApiRoute RemoveMember = new("DELETE", Member, "AdminRemoveMember", "Remove a member (their sessions end)", RouteAccess.Admin, RemoveMemberAsync)
    {
        Tag = Tag,
        Responses = [ApiResponse.Ok<Console.MemberView>("The member, removed")],
    };

    public static readonly ApiRoute CreateSignInLink = new("POST", SignInLinks, "AdminCreateSignInLink", "Mint a one-time console sign-in link for a member (local runs only)", RouteAccess.Admin, CreateSignInLinkAsync)
    {
        Tag = Tag,
        AcceptsEmptyBody = true,
        Responses = [new ApiResponse(201, "The link's path, valid once until it expires (shown this once)", typeof(Console.SignInLinkView))],
        Errors = [ErrorCode.Forbidden],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [CreateAccount, GetAccount, CreateKey, ListKeys, RevokeKey, AddMember, ListMembers, RemoveMember, CreateSignInLink];

    private static readonly string PlanNames = string.Join(", ", Enum.GetValues<Plan>().Select(p => p.ToName()));

    private static async Task<ApiResult> CreateAccountAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var name = fields.RequiredString("name", 200);
        var planName = fields.RequiredString("plan", 50);
        fields.RejectUnknown();
        if (planName is not null && !Plans.TryParse(planName, out _))
        {
            errors.Add("plan", FieldProblem.InvalidValue, PlanNames);
        }
        errors.ThrowIfAny();
        var account = await request.Service<AccountAdministration>().CreateAccountAsync(name!, Plans.Parse(planName!), request.Aborted);
        return ApiResult.Created(AccountView.From(account));
    }

    private static async Task<ApiResult> GetAccountAsync(ApiRequest request)
    {
        var account = await request.Service<IAccountStore>().GetAccountAsync(request.RouteValue("accountId"), request.Aborted)
            ?? throw new NotFoundException();
        return ApiResult.Ok(AccountView.From(account));
    }

    private static async Task<ApiResult> CreateKeyAsync(ApiRequest request)
    {
        var wanted = Console.KeyRequest.Read(request.Body, request.Service<TimeProvider>().GetUtcNow());
        var (key, secret) = await request.Service<AccountAdministration>().CreateKeyAsync(
            request.RouteValue("accountId"), wanted.Name, wanted.Environment, request.Aborted, wanted.ExpiresAt, wanted.Restrictions);
        return ApiResult.Created(new CreatedApiKeyView(key.Id, key.Name, key.Environment.ToName(), key.Prefix, secret, key.CreatedAt, key.ExpiresAt));
    }

    private static async Task<ApiResult> AddMemberAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var name = fields.RequiredString("name", 200);
        var email = fields.String("email", 254).Value;
        var roleName = fields.RequiredString("role", 20);
        var issuer = fields.String("issuer", 300).Value;
        var subject = fields.String("subject", 300).Value;
        fields.RejectUnknown();
        if (roleName is not null && !EnumNames.TryParse<MemberRole>(roleName, out _))
        {
            errors.Add("role", FieldProblem.InvalidValue, EnumNames.List<MemberRole>());
        }
        if ((issuer is null) != (subject is null))
        {
            errors.Add(issuer is null ? "issuer" : "subject", FieldProblem.Required);
        }
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", FieldProblem.InvalidEmail);
        }
        errors.ThrowIfAny();
        var member = await request.Service<MemberAdministration>().AddAsync(
            request.RouteValue("accountId"), name!, email, EnumNames.Parse<MemberRole>(roleName!), issuer, subject, request.Aborted);
        return ApiResult.Created(Console.MemberView.From(member));
    }

    private static async Task<ApiResult> ListMembersAsync(ApiRequest request)
    {
        var members = await request.Service<MemberAdministration>().ListAsync(request.RouteValue("accountId"), request.Aborted);
        return ApiResult.List([.. members.Select(Console.MemberView.From)]);
    }

    private static async Task<ApiResult> RemoveMemberAsync(ApiRequest request)
    {
        var member = await request.Service<IMemberStore>().GetAsync(request.RouteValue("accountId"), request.RouteValue("memberId"), request.Aborted)
            ?? throw new NotFoundException();
        await request.Service<MemberAdministration>().RemoveAsync(member.AccountId, member.Id, request.Aborted);
        return ApiResult.Ok(Console.MemberView.From(member));
    }

    private static async Task<ApiResult> CreateSignInLinkAsync(ApiRequest request)
    {
        if (request.Service<Console.PlatformSignIn>().IsOn)
        {
            throw new ApiException(ErrorCode.Forbidden, ErrorText.LocalSignInOff);
        }
        var (token, expiresAt) = await request.Service<MemberAdministration>().MintSignInLinkAsync(
            request.RouteValue("accountId"), request.RouteValue("memberId"), request.Aborted);
        return ApiResult.Created(new Console.SignInLinkView(Console.ConsoleApi.SignInPath(token), expiresAt));
    }

    private static async Task<ApiResult> ListKeysAsync(ApiRequest request)
    {
        var keys = await request.Service<AccountAdministration>().ListKeysAsync(request.RouteValue("accountId"), request.Aborted);
        return ApiResult.List([.. keys.Select(ApiKeyView.From)]);
    }

    private static async Task<ApiResult> RevokeKeyAsync(ApiRequest request)
    {
        var key = await request.Service<AccountAdministration>().RevokeKeyAsync(
            request.RouteValue("accountId"), request.RouteValue("keyId"), request.Aborted);
        request.Service<ApiKeyAuthenticator>().Forget(key.SecretHash);
        return ApiResult.Ok(ApiKeyView.From(key));
    }
}
