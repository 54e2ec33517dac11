using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>
/// Catch-all with the lowest route precedence: a path no function took gets 405 (the path exists for other
/// methods) or 404, in the error envelope instead of the host's empty answer.
/// </summary>
public sealed class UnmatchedFunction(ApiPipeline api)
{
    [Function("Unmatched")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request) =>
        api.RunUnmatched(request.HttpContext);
}
