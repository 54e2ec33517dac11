using Interflow.Api.Console;
using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>
/// The console: anonymous at the Functions host, signed in by the pipeline (its session, or the platform's sign-in where
/// App Service authentication is on and requires it for these paths); each function hands its request to the API pipeline.
/// </summary>
public sealed class ConsoleFunctions(ApiPipeline api)
{
    [Function("ConsoleEntry")]
    public Task<IResult> Entry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleApi.Entry)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.EntryRoute);

    [Function("GetConsoleApiKeysPage")]
    public Task<IResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleApi.PageRoute)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.Page);

    [Function("ConsoleSignIn")]
    public Task<IResult> SignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleApi.SignIn)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.SignInRoute);

    [Function("GetConsoleSession")]
    public Task<IResult> Session(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleApi.Session)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.SessionRoute);

    [Function("ConsoleSignOut")]
    public Task<IResult> SignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleApi.SignOut)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.SignOutRoute);

    [Function("ConsoleListApiKeys")]
    public Task<IResult> ListKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleApi.Keys)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.ListKeys);

    [Function("ConsoleCreateApiKey")]
    public Task<IResult> CreateKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleApi.Keys)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.CreateKey);

    [Function("ConsoleRollApiKey")]
    public Task<IResult> RollKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleApi.Roll)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.RollKey);

    [Function("ConsoleRevokeApiKey")]
    public Task<IResult> RevokeKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsoleApi.Revoke)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.RevokeKey);

    [Function("ConsoleListKeyActivity")]
    public Task<IResult> ListActivity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsoleApi.Activity)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ConsoleApi.ListActivity);
}
