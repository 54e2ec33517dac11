using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>
/// The catch-alls of <see cref="UnmatchedRoutes"/>: a request no route takes gets 405 (the path exists for other
/// methods) or 404, in the error envelope instead of the host's empty answer. Their templates never match a path that
/// a route serves for their methods, so the host's name-ordered routing cannot hand them another function's request.
/// </summary>
public sealed class UnmatchedFunctions(ApiPipeline api)
{
    [Function("UnmatchedGet")]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = UnmatchedRoutes.Get)] HttpRequest request) =>
        api.RunUnmatched(request.HttpContext);

    [Function("UnmatchedPost")]
    public IResult Post([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = UnmatchedRoutes.Post)] HttpRequest request) =>
        api.RunUnmatched(request.HttpContext);

    [Function("UnmatchedPut")]
    public IResult Put([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = UnmatchedRoutes.Put)] HttpRequest request) =>
        api.RunUnmatched(request.HttpContext);

    [Function("UnmatchedDelete")]
    public IResult Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = UnmatchedRoutes.Delete)] HttpRequest request) =>
        api.RunUnmatched(request.HttpContext);

    [Function("UnmatchedOther")]
    public IResult Other([HttpTrigger(AuthorizationLevel.Anonymous, "patch", "head", "options", Route = UnmatchedRoutes.Other)] HttpRequest request) =>
        api.RunUnmatched(request.HttpContext);
}
