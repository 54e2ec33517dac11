namespace Interflow.Client;

/// <summary>
/// The Interflow API, typed: one client per resource, over one HttpClient. Give it a client from
/// IHttpClientFactory (<c>factory.CreateClient("interflow")</c>) or a long-lived HttpClient of your own.
/// <code>
/// var interflow = new InterflowClient(http, new InterflowClientOptions { ApiKey = "ifk_test_…" });
/// var customer = await interflow.Customers.CreateAsync(new NewCustomer("João Silva", Phone: "5511999999999"));
/// </code>
/// </summary>
public sealed class InterflowClient
{
    private readonly ApiConnection api;

    public InterflowClient(HttpClient http, InterflowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        api = new ApiConnection(http, options);
        Customers = new CustomersClient(api);
        Channels = new ChannelsClient(api);
        Messages = new MessagesClient(api);
        Bulk = new BulkClient(api);
        Chats = new ChatsClient(api);
        Webhooks = new WebhooksClient(api);
    }

    public CustomersClient Customers { get; }

    public ChannelsClient Channels { get; }

    public MessagesClient Messages { get; }

    public BulkClient Bulk { get; }

    public ChatsClient Chats { get; }

    public WebhooksClient Webhooks { get; }

    /// <summary>The API's OpenAPI 3.1 document (GET /v1/openapi.json), as JSON text.</summary>
    public async Task<string> GetOpenApiDocumentAsync(CancellationToken cancellationToken = default) =>
        await api.GetTextAsync("v1/openapi.json", cancellationToken);
}
