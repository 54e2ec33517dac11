using Interflow.Api.Http;
using Interflow.Api.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>Webhook subscriptions; each function hands its request to the API pipeline with its route.</summary>
public sealed class WebhooksFunctions(ApiPipeline api)
{
    [Function("ListWebhooks")]
    public Task<IResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WebhooksApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.List);

    [Function("CreateWebhook")]
    public Task<IResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebhooksApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.Create);

    [Function("GetWebhook")]
    public Task<IResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WebhooksApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.Get);

    [Function("UpdateWebhook")]
    public Task<IResult> UpdateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = WebhooksApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.Update);

    [Function("DeleteWebhook")]
    public Task<IResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = WebhooksApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.Delete);

    [Function("ListWebhookDeliveries")]
    public Task<IResult> ListWebhookDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WebhooksApi.ItemDeliveries)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.Deliveries);

    [Function("TestWebhook")]
    public Task<IResult> TestWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebhooksApi.ItemTest)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WebhooksApi.Test);
}
