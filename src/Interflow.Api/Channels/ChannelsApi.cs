using Interflow.Api.Http;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Channels;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Channels;

/// <summary>The Channels resource: an account's sending numbers (sandbox or WhatsApp Cloud API).</summary>
public static class ChannelsApi
{
    public const string Collection = "v1/channels";
    public const string Item = "v1/channels/{id}";

    private const string Tag = "Channels";

    /// <summary>What a restricted key needs of this feature: read for its GETs, write for the rest.</summary>
    private const string Resource = "channels";

    public static readonly ApiRoute List = new("GET", Collection, "ListChannels", "List channels", RouteAccess.ApiKey, ListAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Query = QueryParameter.Paging,
        Responses = [ApiResponse.ListOf<ChannelView>("A page of channels")],
    };

    public static readonly ApiRoute Create = new("POST", Collection, "CreateChannel", "Create a channel (secrets are stored, never returned)", RouteAccess.ApiKey, CreateAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Body = typeof(NewChannelBody),
        RequestExample = """{"name": "Loja", "kind": "sandbox"}""",
        Responses = [ApiResponse.Resource<ChannelView>(201, "The channel")],
    };

    public static readonly ApiRoute Get = new("GET", Item, "GetChannel", "Get a channel", RouteAccess.ApiKey, GetAsync)
    {
        Tag = Tag,
        Resource = Resource,
        Responses = [ApiResponse.Resource<ChannelView>(200, "The channel")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [List, Create, Get];

    private static async Task<ApiResult> ListAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var page = new QueryFields(request.Request.Query, errors).Page();
        errors.ThrowIfAny();
        var result = await request.Service<IChannelStore>().ListAsync(request.Tenant, page, request.Aborted);
        return ApiResult.List(result.Items.Select(ChannelView.From).ToArray(), page, result);
    }

    private static async Task<ApiResult> CreateAsync(ApiRequest request)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(request.Body, errors);
        var name = fields.RequiredString("name", 100);
        var kindName = fields.RequiredString("kind", 20);
        var throughput = fields.Number("messages_per_second", 1, 1000);
        var whatsApp = fields.Object("whatsapp");
        WhatsAppCredentials? credentials = null;
        if (whatsApp is not null)
        {
            var phoneNumberId = whatsApp.RequiredString("phone_number_id", 64);
            var accessToken = whatsApp.RequiredString("access_token", 2048);
            var appSecret = whatsApp.RequiredString("app_secret", 256);
            var verifyToken = whatsApp.RequiredString("verify_token", 256);
            whatsApp.RejectUnknown();
            credentials = new WhatsAppCredentials(phoneNumberId ?? "", accessToken ?? "", appSecret ?? "", verifyToken ?? "");
        }
        fields.RejectUnknown();
        if (throughput.IsSet && throughput.Value % 1 != 0)
        {
            errors.Add("messages_per_second", FieldProblem.MustBeInteger);
        }
        var kind = ChannelKind.Sandbox;
        if (kindName is not null && !ChannelKinds.TryParse(kindName, out kind))
        {
            errors.Add("kind", FieldProblem.InvalidValue, "sandbox, whatsapp_cloud");
        }
        else if (kind == ChannelKind.WhatsAppCloud && whatsApp is null && fields.IsObject)
        {
            errors.Add("whatsapp", FieldProblem.Required);
        }
        else if (kind == ChannelKind.Sandbox && whatsApp is not null)
        {
            errors.Add("whatsapp", FieldProblem.UnknownField);
        }
        errors.ThrowIfAny();
        var channel = new Channel(
            Ids.New("ch"), request.Tenant, kind, name!, credentials,
            throughput.IsSet ? (int)throughput.Value : Channel.DefaultMessagesPerSecond, request.Service<TimeProvider>().GetUtcNow());
        await request.Service<IChannelStore>().CreateAsync(channel, request.Aborted);
        return ApiResult.Resource(ChannelView.From(channel), StatusCodes.Status201Created);
    }

    private static async Task<ApiResult> GetAsync(ApiRequest request)
    {
        var channel = await request.Service<IChannelStore>().GetAsync(request.Tenant, request.RouteValue("id"), request.Aborted)
            ?? throw new NotFoundException();
        return ApiResult.Resource(ChannelView.From(channel));
    }
}
