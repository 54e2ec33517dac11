using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Interflow.TestServer;
using Xunit.Abstractions;

namespace Interflow.Client.Tests;

/// <summary>The client, held to the OpenAPI document: its types have the document's fields, and its calls covered it.</summary>
public sealed class DocumentTests
{
    /// <summary>Each schema of the public document and the client type that carries it.</summary>
    public static TheoryData<string, Type> Schemas => new()
    {
        { "CustomerView", typeof(Customer) }, { "NewCustomerBody", typeof(NewCustomer) }, { "CustomerChangesBody", typeof(CustomerChanges) },
        { "DeletedView", typeof(Deleted) },
        { "ChannelView", typeof(Channel) }, { "NewChannelBody", typeof(NewChannel) },
        { "MessageView", typeof(Message) }, { "SendMessageBody", typeof(SendMessage) },
        { "TextContent", typeof(TextContent) }, { "MediaContent", typeof(MediaContent) }, { "LocationContent", typeof(LocationContent) }, { "TemplateContent", typeof(TemplateContent) },
        { "BulkJobView", typeof(BulkJob) }, { "BulkBody", typeof(BulkSend) },
        { "ChatView", typeof(Chat) }, { "NewChatBody", typeof(NewChat) }, { "ChatChangesBody", typeof(ChatChanges) },
        { "WebhookView", typeof(Webhook) }, { "CreatedWebhookView", typeof(CreatedWebhook) }, { "NewWebhookBody", typeof(NewWebhook) },
        { "WebhookChangesBody", typeof(WebhookChanges) }, { "DeliveryView", typeof(WebhookDelivery) },
        { "ErrorDetail", typeof(ErrorDetail) }, { "PageMeta", typeof(Page<object>) }, { "CursorMeta", typeof(Page<object>) },
    };

    [Fact]
    public async Task The_client_reads_the_document_the_server_serves()
    {
        await using var server = await InterflowTestServer.StartAsync(InterflowServerFixture.FastSettings());
        var client = new InterflowClient(new HttpClient(new RecordingHandler(new SocketsHttpHandler())) { BaseAddress = server.BaseAddress },
            new InterflowClientOptions { ApiKey = "ifk_test_unused" });

        var document = JsonNode.Parse(await client.GetOpenApiDocumentAsync())!;

        Assert.Equal("3.1.1", document["openapi"]!.GetValue<string>());
        Assert.Equal(OpenApiContract.Public.Root.ToJsonString(), document.ToJsonString());
    }

    [Fact]
    public void Every_schema_of_the_public_document_has_a_client_type()
    {
        var schemas = OpenApiContract.Public.Root["components"]!["schemas"]!.AsObject().Select(s => s.Key).Except(["ErrorEnvelope"]);

        Assert.Equal(schemas.Order(), Schemas.Select(row => (string)row[0]).Order());
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Client_type_has_exactly_the_fields_of_its_schema(string schema, Type type)
    {
        var properties = SchemaFields(schema);
        if (type == typeof(Page<object>))
        {
            // A page carries either meta: each one's fields are among its own.
            Assert.Subset(PageMetaNames.ToHashSet(), properties.ToHashSet());
            return;
        }

        Assert.Equal(properties.Order(), WireNames(type).Order());
    }

    [Fact]
    public void A_page_has_exactly_the_fields_of_a_page_meta_and_a_walks_meta()
    {
        Assert.Equal(SchemaFields("PageMeta").Union(SchemaFields("CursorMeta")).Order(), PageMetaNames.Order());
    }

    private static IEnumerable<string> SchemaFields(string schema) =>
        OpenApiContract.Public.Root["components"]!["schemas"]![schema]!["properties"]!.AsObject().Select(p => p.Key);

    // Page<T> shows meta beside its items, PageNumber for "page".
    private static IEnumerable<string> PageMetaNames =>
        WireNames(typeof(Page<object>)).Except(["items", "has_more"]).Select(n => n == "page_number" ? "page" : n);

    private static IEnumerable<string> WireNames(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.DeclaringType != typeof(MessageContent) && p.Name != "EqualityContract")
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
        .Distinct();
}

/// <summary>xunit runs collections that disable parallelization after every parallel one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AfterEveryOtherTest
{
    public const string Name = "After every other test";
}

/// <summary>
/// After every other test of this project, where only the client called the API: every public operation answered
/// the client with success at least once, every answer kept to the document, and every body the server accepted
/// fits its operation's request schema.
/// </summary>
[Collection(AfterEveryOtherTest.Name)]
public sealed class ClientCoverageTests(ITestOutputHelper output)
{
    [Fact]
    public void The_client_called_every_public_operation_and_kept_to_the_document()
    {
        var answered = ResponseContract.Answered.Where(a => a.Key.Status is >= 200 and < 300).Select(a => a.Key.Operation).ToHashSet();
        var publicOperations = OpenApiContract.ClientOperations;
        var sent = RecordingHandler.All.Where(r => r.Body is not null && r.Status is >= 200 and < 300).ToArray();
        var bodyProblems = sent.Select(r => (Request: r, Problem: OpenApiContract.RequestProblem(OpenApiContract.OperationOf(r.Method, r.PathAndQuery)!, JsonNode.Parse(r.Body!)!)))
            .Where(p => p.Problem is not null).Select(p => $"{p.Request.Method} {p.Request.PathAndQuery}: {p.Problem}").ToArray();
        output.WriteLine($"{publicOperations.Count} public operations, {answered.Intersect(publicOperations).Count()} answered the client with success; " +
            $"{ResponseContract.Answered.Values.Sum()} answers checked, {ResponseContract.Violations.Count} violations; {sent.Length} request bodies checked, {bodyProblems.Length} problems");

        Assert.True(sent.Length > 50, $"only {sent.Length} bodies: this check runs after the rest of the project, not alone");
        Assert.Empty(publicOperations.Except(answered));
        Assert.Empty(ResponseContract.Violations);
        Assert.Empty(bodyProblems);
    }
}
