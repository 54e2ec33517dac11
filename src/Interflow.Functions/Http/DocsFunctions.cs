using Interflow.Api.Docs;
using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>The API's documentation, open to anyone; each function hands its request to the API pipeline with its route.</summary>
public sealed class DocsFunctions(ApiPipeline api)
{
    [Function("GetOpenApiDocument")]
    public Task<IResult> GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DocsApi.OpenApiRoute)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, DocsApi.OpenApi);

    [Function("GetDocsPage")]
    public Task<IResult> GetDocsPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DocsApi.PageRoute)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, DocsApi.Page);
}
