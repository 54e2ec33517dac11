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

    public static readonly ApiRoute CreateKey = new("POST", Keys, "AdminCreateApiKey", "Create an API key (secret shown once)", RouteAccess.Admin, CreateKeyAsync)
    {
        Tag = Tag,
        Body = typeof(NewApiKeyBody),
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

    public static IReadOnlyList<ApiRoute> Routes { get; } = [CreateAccount, GetAccount, CreateKey, ListKeys, RevokeKey];

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
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var name = fields.RequiredString("name", 100);
        var environmentName = fields.RequiredString("environment", 10);
        fields.RejectUnknown();
        if (environmentName is not null && !ApiEnvironmentNames.TryParse(environmentName, out _))
        {
            errors.Add("environment", FieldProblem.InvalidValue, "live, test");
        }
        errors.ThrowIfAny();
        var (key, secret) = await request.Service<AccountAdministration>().CreateKeyAsync(
            request.RouteValue("accountId"), name!, ApiEnvironmentNames.Parse(environmentName!), request.Aborted);
        return ApiResult.Created(new CreatedApiKeyView(key.Id, key.Name, key.Environment.ToName(), key.Prefix, secret, key.CreatedAt));
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
