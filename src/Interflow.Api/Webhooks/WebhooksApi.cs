using Interflow.Api.Customers;
using Interflow.Api.Http;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Events;
using Interflow.Core.Validation;
using Interflow.Core.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Webhooks;

/// <summary>Webhook subscriptions, their delivery log and the test ping.</summary>
public static class WebhooksApi
{
    public const string Collection = "v1/webhooks";
    public const string Item = "v1/webhooks/{id}";
    public const string ItemDeliveries = "v1/webhooks/{id}/deliveries";
    public const string ItemTest = "v1/webhooks/{id}/test";

    private const string Tag = "Webhooks";

    /// <summary>What a restricted key needs of this feature: read for its GETs, write for the rest.</summary>
    private const string Resource = "webhooks";

    public static readonly ApiRoute List = new("GET", Collection, "ListWebhooks", "List webhook endpoints", RouteAccess.ApiKey, ListAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.ListOf<WebhookView>("Every endpoint of the account and environment (one page)")],
    };

    public static readonly ApiRoute Create = new("POST", Collection, "CreateWebhook", "Subscribe an endpoint (the secret is shown once)", RouteAccess.ApiKey, CreateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(NewWebhookBody),
        RequestExample = """{"url": "https://crm.example.com/interflow", "events": ["message.delivered", "message.received"], "description": "CRM"}""",
        Responses = [new ApiResponse(201, "The endpoint with its signing secret, shown this once", typeof(CreatedWebhookView))],
    };

    public static readonly ApiRoute Get = new("GET", Item, "GetWebhook", "Get a webhook endpoint", RouteAccess.ApiKey, GetAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<WebhookView>(200, "The endpoint")],
    };

    public static readonly ApiRoute Update = new("PUT", Item, "UpdateWebhook", "Change url, events, description, or enable/disable", RouteAccess.ApiKey, UpdateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(WebhookChangesBody),
        Responses = [ApiResponse.Resource<WebhookView>(200, "The endpoint as updated")],
    };

    public static readonly ApiRoute Delete = new("DELETE", Item, "DeleteWebhook", "Delete a webhook endpoint", RouteAccess.ApiKey, DeleteAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Ok<DeletedView>("The endpoint is deleted")],
    };

    public static readonly ApiRoute Deliveries = new("GET", ItemDeliveries, "ListWebhookDeliveries", "Deliveries with their attempts and next retry", RouteAccess.ApiKey, DeliveriesAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Query = QueryParameter.Paging,
        Responses = [ApiResponse.ListOf<DeliveryView>("A page of deliveries, newest first")],
    };

    public static readonly ApiRoute Test = new("POST", ItemTest, "TestWebhook", "Send a webhook.test event now", RouteAccess.ApiKey, TestAsync)
    {
        AcceptsEmptyBody = true,
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Ok<DeliveryView>("The test delivery and its one try (a success re-enables the endpoint)")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [List, Create, Get, Update, Delete, Deliveries, Test];

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var endpoints = await request.Service<IWebhookEndpointStore>().ListAsync(request.Tenant, request.Aborted);
        return ApiResult.List([.. endpoints.Select(WebhookView.From)]);
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var url = fields.RequiredString("url", 2048);
        var events = Events(fields, required: true);
        var description = fields.String("description", 500);
        fields.RejectUnknown();
        await CheckUrlAsync(request, url, errors);
        errors.ThrowIfAny();
        var endpoint = await request.Service<WebhookCommands>().CreateAsync(request.Tenant, url!, events.Value, description.Value, request.Aborted);
        return ApiResult.Created(new CreatedWebhookView(endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.Enabled, endpoint.Secret, endpoint.CreatedAt));
    }

    private static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var endpoint = await request.Service<IWebhookEndpointStore>().GetAsync(request.Tenant, request.RouteValue("id"), request.Aborted)
            ?? throw new NotFoundException();
        return ApiResult.Resource(WebhookView.From(endpoint));
    }

    private static async Task<ApiResult> UpdateAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var url = fields.String("url", 2048, nullable: false);
        var events = Events(fields, required: false);
        var description = fields.String("description", 500);
        var enabled = fields.Get("enabled");
        fields.RejectUnknown();
        if (enabled.IsSet && enabled.Value.ValueKind is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            errors.Add("enabled", FieldProblem.InvalidValue, "true, false");
        }
        await CheckUrlAsync(request, url.Value, errors);
        errors.ThrowIfAny();
        var endpoint = await request.Service<WebhookCommands>().UpdateAsync(
            request.Tenant, request.RouteValue("id"), new Optional<string>(url.IsSet, url.Value!), events, description,
            enabled.IsSet ? Optional<bool>.Of(enabled.Value.GetBoolean()) : Optional<bool>.Unset, request.Aborted);
        return ApiResult.Resource(WebhookView.From(endpoint));
    }

    private static async Task<ApiResult> DeleteAsync(ApiRequest request)
    {
        var id = request.RouteValue("id");
        await request.Service<WebhookCommands>().DeleteAsync(request.Tenant, id, request.Aborted);
        return ApiResult.Ok(new DeletedView(id, Deleted: true));
    }

    private static async Task<ApiResult> DeliveriesAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var page = new QueryFields(request.Request.Query, errors).Page();
        errors.ThrowIfAny();
        var id = request.RouteValue("id");
        var endpoint = await request.Service<IWebhookEndpointStore>().GetAsync(request.Tenant, id, request.Aborted) ?? throw new NotFoundException();
        var result = await request.Service<IWebhookDeliveryStore>().ListAsync(request.Tenant, id, page, request.Aborted);
        return ApiResult.List(result.Items.Select(d => DeliveryView.From(d, endpoint)).ToArray(), page, result);
    }

    private static async Task<ApiResult> TestAsync(ApiRequest request)
    {
        var delivery = await request.Service<WebhookCommands>().TestAsync(request.Tenant, request.RouteValue("id"), request.Aborted);
        return ApiResult.Ok(DeliveryView.From(delivery));
    }

    /// <summary>https to a public address (SSRF defence), reported with the request's other errors.</summary>
    private static async Task CheckUrlAsync(ApiRequest request, string? url, FieldErrors errors)
    {
        if (url is not null && await request.Service<WebhookUrlPolicy>().CheckAsync(url, request.Aborted) is { } problem)
        {
            errors.Add("url", problem);
        }
    }

    /// <summary>A non-empty list of known event types, or <c>["*"]</c>.</summary>
    private static Optional<IReadOnlyList<string>> Events(JsonFields fields, bool required)
    {
        var events = fields.StringList("events", EventTypes.All.Count + 1, 50);
        if (!events.IsSet)
        {
            if (required && fields.IsObject && !fields.Get("events").IsSet)
            {
                fields.Add("events", FieldProblem.Required);
            }
            return events;
        }
        if (events.Value.Count == 0)
        {
            fields.Add("events", FieldProblem.TooShort, 1);
        }
        for (var i = 0; i < events.Value.Count; i++)
        {
            if (events.Value[i] != "*" && !EventTypes.All.Contains(events.Value[i]))
            {
                fields.Add($"events[{i}]", FieldProblem.InvalidValue, "*, " + string.Join(", ", EventTypes.All));
            }
        }
        return events;
    }
}
