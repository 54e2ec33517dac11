using Interflow.Api.Http;
using Interflow.Core;
using Interflow.Core.Bulk;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Bulk;

/// <summary>Bulk sends: submit (202 with the job), progress, cancel.</summary>
public static class BulkApi
{
    public const string Collection = "v1/messages/bulk";
    public const string Item = "v1/messages/bulk/{id}";
    public const string ItemCancel = "v1/messages/bulk/{id}/cancel";

    private const string Tag = "Bulk sends";

    /// <summary>What a restricted key needs of this feature: read for its GETs, write for the rest.</summary>
    private const string Resource = "bulk";

    public static readonly ApiRoute Submit = new("POST", Collection, "SubmitBulk", "Send to 1-10,000 recipients (202 with the job)", RouteAccess.ApiKey, SubmitAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(BulkBody),
        RequestExample = """
            {"channel_id": "uuid-do-canal", "type": "text", "content": {"text": "Olá {{1}}, seu pedido {{2}} saiu!"},
             "recipients": [{"to": "5511999999999", "variables": ["João", "#42"]}, {"to": "5521988887777", "variables": ["Ana", "#43"]}]}
            """,
        Responses = [ApiResponse.Resource<BulkJobView>(202, "The job, queued: every recipient was valid")],
    };

    public static readonly ApiRoute Get = new("GET", Item, "GetBulk", "A bulk job's status and counts", RouteAccess.ApiKey, GetAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<BulkJobView>(200, "The job; queued + sent + failed + cancelled = total")],
    };

    public static readonly ApiRoute Cancel = new("POST", ItemCancel, "CancelBulk", "Stop what is not yet handed to the provider", RouteAccess.ApiKey, CancelAsync)
    {
        AcceptsEmptyBody = true,
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<BulkJobView>(200, "The job, cancel requested")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [Submit, Get, Cancel];

    private static async Task<ApiResult> SubmitAsync(ApiRequest request)
    {
        var (channelId, recipients) = BulkRequest.Read(request.Body);
        var job = await request.Service<BulkSends>().SubmitAsync(request.Tenant, channelId, recipients, request.Aborted);
        return ApiResult.Resource(BulkJobView.From(job), StatusCodes.Status202Accepted);
    }

    private static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var job = await request.Service<IBulkStore>().GetAsync(request.Tenant, request.RouteValue("id"), request.Aborted) ?? throw new NotFoundException();
        return ApiResult.Resource(BulkJobView.From(job));
    }

    private static async Task<ApiResult> CancelAsync(ApiRequest request)
    {
        var job = await request.Service<BulkSends>().CancelAsync(request.Tenant, request.RouteValue("id"), request.Aborted);
        return ApiResult.Resource(BulkJobView.From(job));
    }
}
