using Interflow.Api.Admin;
using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>The operator's routes, behind the Functions host's function keys (<c>x-functions-key</c>).</summary>
public sealed class AdminFunctions(ApiPipeline api)
{
    [Function("AdminCreateAccount")]
    public Task<IResult> CreateAccount(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminApi.Accounts)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.CreateAccount);

    [Function("AdminGetAccount")]
    public Task<IResult> GetAccount(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminApi.Account)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.GetAccount);

    [Function("AdminCreateApiKey")]
    public Task<IResult> CreateApiKey(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminApi.Keys)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.CreateKey);

    [Function("AdminListApiKeys")]
    public Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminApi.Keys)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.ListKeys);

    [Function("AdminRevokeApiKey")]
    public Task<IResult> RevokeApiKey(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = AdminApi.Key)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.RevokeKey);

    [Function("AdminAddMember")]
    public Task<IResult> AddMember(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminApi.Members)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.AddMember);

    [Function("AdminListMembers")]
    public Task<IResult> ListMembers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminApi.Members)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.ListMembers);

    [Function("AdminRemoveMember")]
    public Task<IResult> RemoveMember(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = AdminApi.Member)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.RemoveMember);

    [Function("AdminCreateSignInLink")]
    public Task<IResult> CreateSignInLink(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminApi.SignInLinks)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, AdminApi.CreateSignInLink);
}
