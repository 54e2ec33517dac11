using Interflow.Api.Http;
using Interflow.Api.Validation;
using Interflow.Core.Customers;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Customers;

/// <summary>The Customers resource: its routes and their handlers.</summary>
public static class CustomersApi
{
    public const string Collection = "v1/customers";
    public const string Item = "v1/customers/{id}";

    private const string Tag = "Customers";

    /// <summary>What a restricted key needs of this feature: read for its GETs, write for the rest.</summary>
    private const string Resource = "customers";

    public static readonly ApiRoute List = new("GET", Collection, "ListCustomers", "List customers, newest first, with filters", RouteAccess.ApiKey, ListAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Query =
        [
            .. QueryParameter.Paging,
            new("search", "Part of the name, email or phone, case-insensitively"),
            new("tag", "Customers with this tag"),
            new("email", "The customer with this email, case-insensitively"),
            new("phone", "The customer with this phone (E.164 digits)"),
        ],
        Responses = [ApiResponse.ListOf<CustomerView>("A page of customers; meta.total counts every match")],
    };

    public static readonly ApiRoute Create = new("POST", Collection, "CreateCustomer", "Create a customer", RouteAccess.ApiKey, CreateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(NewCustomerBody),
        RequestExample = """
            {"name": "João Silva", "email": "joao@email.com", "phone": "5511999999999", "tags": ["vip", "newsletter"],
             "custom_fields": {"empresa": "Empresa XYZ", "cargo": "Gerente"}}
            """,
        Responses =
        [
            ApiResponse.Resource<CustomerView>(201, "The customer") with
            {
                Example = """
                    {"id": "cust_xyz789", "name": "João Silva", "email": "joao@email.com", "phone": "5511999999999",
                     "tags": ["vip", "newsletter"], "custom_fields": {"empresa": "Empresa XYZ", "cargo": "Gerente"},
                     "created_at": "2024-01-15T10:30:00Z", "updated_at": "2024-01-15T10:30:00Z"}
                    """,
            },
        ],
        Errors = [ErrorCode.Conflict],
    };

    public static readonly ApiRoute Get = new("GET", Item, "GetCustomer", "Get a customer", RouteAccess.ApiKey, GetAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<CustomerView>(200, "The customer")],
    };

    public static readonly ApiRoute Update = new("PUT", Item, "UpdateCustomer", "Update a customer (merge; If-Match honoured)", RouteAccess.ApiKey, UpdateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(CustomerChangesBody),
        Responses = [ApiResponse.Resource<CustomerView>(200, "The customer as updated")],
        Errors = [ErrorCode.Conflict],
    };

    public static readonly ApiRoute Delete = new("DELETE", Item, "DeleteCustomer", "Delete a customer", RouteAccess.ApiKey, DeleteAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Ok<DeletedView>("The customer is deleted")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [List, Create, Get, Update, Delete];

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var query = new QueryFields(request.Request.Query, errors);
        var page = query.Page();
        var phone = query.Text("phone", 16);
        if (phone is not null && !CustomerRequest.TryPhone(phone, out phone))
        {
            errors.Add("phone", FieldProblem.InvalidPhone);
        }
        var filter = new CustomerFilter(
            query.Text("search", CustomerLimits.SearchMaxLength),
            query.Text("tag", CustomerLimits.TagMaxLength),
            query.Text("email", CustomerLimits.EmailMaxLength),
            phone);
        errors.ThrowIfAny();
        var result = await request.Service<ICustomerStore>().ListAsync(request.Tenant, filter, page, request.Aborted);
        return ApiResult.List(result.Items.Select(CustomerView.From).ToArray(), page, result);
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var input = CustomerRequest.ReadNew(request.Body);
        var customer = await request.Service<CustomerCommands>().CreateAsync(request.Tenant, input, request.Aborted);
        return ApiResult.Resource(CustomerView.From(customer), StatusCodes.Status201Created);
    }

    private static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var customer = await request.Service<ICustomerStore>().GetAsync(request.Tenant, request.RouteValue("id"), request.Aborted)
            ?? throw new Core.NotFoundException();
        return ApiResult.Resource(CustomerView.From(customer));
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var changes = CustomerRequest.ReadChanges(request.Body);
        var ifMatch = EntityTags.IfMatch(request.Request);
        var customer = await request.Service<CustomerCommands>().UpdateAsync(
            request.Tenant, request.RouteValue("id"), changes,
            ifMatch is null ? null : current => EntityTags.For(CustomerView.From(current)) == ifMatch, request.Aborted);
        return ApiResult.Resource(CustomerView.From(customer));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = request.RouteValue("id");
        await request.Service<CustomerCommands>().DeleteAsync(request.Tenant, id, request.Aborted);
        return ApiResult.Ok(new DeletedView(id, Deleted: true));
    }
}

public sealed record DeletedView(string Id, bool Deleted);
