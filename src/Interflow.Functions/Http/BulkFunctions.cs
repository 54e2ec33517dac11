using Interflow.Api.Bulk;
using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>Bulk sends; each function hands its request to the API pipeline with its route.</summary>
public sealed class BulkFunctions(ApiPipeline api)
{
    [Function("SubmitBulk")]
    public Task<IResult> SubmitBulk(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = BulkApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, BulkApi.Submit);

    [Function("GetBulk")]
    public Task<IResult> GetBulk(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = BulkApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, BulkApi.Get);

    [Function("CancelBulk")]
    public Task<IResult> CancelBulk(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = BulkApi.ItemCancel)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, BulkApi.Cancel);
}
