using Interflow.Api.Customers;
using Interflow.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>The Customers routes; each function hands its request to the API pipeline with its route.</summary>
public sealed class CustomersFunctions(ApiPipeline api)
{
    [Function("ListCustomers")]
    public Task<IResult> ListCustomers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CustomersApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, CustomersApi.List);

    [Function("CreateCustomer")]
    public Task<IResult> CreateCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CustomersApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, CustomersApi.Create);

    [Function("GetCustomer")]
    public Task<IResult> GetCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CustomersApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, CustomersApi.Get);

    [Function("UpdateCustomer")]
    public Task<IResult> UpdateCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = CustomersApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, CustomersApi.Update);

    [Function("DeleteCustomer")]
    public Task<IResult> DeleteCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = CustomersApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, CustomersApi.Delete);
}
