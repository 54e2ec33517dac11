using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Interflow.Core.Accounts;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Tests.Messaging;

/// <summary>The WhatsApp Cloud API client against a Graph API stub on loopback: wire format, retries, and the outbound queue.</summary>
public sealed class WhatsAppCloudTests : IAsyncLifetime
{
    private GraphApiStub graph = null!;
    private InterflowTestServer server = null!;
    private HttpClient client = null!;
    private string channel = "";

    public async Task InitializeAsync()
    {
        graph = await GraphApiStub.StartAsync();
        server = await StartServerAsync(runConsumers: true);
        (client, channel) = await ProductionClientAsync(server);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
        await graph.DisposeAsync();
    }

    private Task<InterflowTestServer> StartServerAsync(bool runConsumers, string? sqlitePath = null, string? queuePrefix = null)
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.RunQueueConsumers = runConsumers;
        settings.Configuration["Interflow:WhatsApp:GraphBaseUrl"] = graph.BaseAddress.ToString();
        settings.Configuration["Interflow:Outbound:MaxAttempts"] = "3";
        if (sqlitePath is not null)
        {
            settings.SqlitePath = sqlitePath;
        }
        if (queuePrefix is not null)
        {
            settings.QueuePrefix = queuePrefix;
        }
        return InterflowTestServer.StartAsync(settings);
    }

    private static async Task<(HttpClient Client, string Channel)> ProductionClientAsync(InterflowTestServer server)
    {
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        var client = server.CreateClient(account.LiveKey);
        var created = await client.PostApiAsync("v1/channels", new
        {
            name = "Loja WhatsApp",
            kind = "whatsapp_cloud",
            whatsapp = new { phone_number_id = "106540352242922", access_token = "EAAG-secret-token", app_secret = "app-secret", verify_token = "verify-me" },
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (client, created.Data.GetProperty("id").GetString()!);
    }

    public static TheoryData<string, string, string> WireFormats => new()
    {
        { "text", """{"text":"Olá!"}""", """{"preview_url":false,"body":"Olá!"}""" },
        { "image", """{"url":"https://cdn.example.com/a.png","caption":"foto"}""", """{"link":"https://cdn.example.com/a.png","caption":"foto"}""" },
        { "video", """{"url":"https://cdn.example.com/a.mp4"}""", """{"link":"https://cdn.example.com/a.mp4"}""" },
        { "audio", """{"url":"https://cdn.example.com/a.ogg"}""", """{"link":"https://cdn.example.com/a.ogg"}""" },
        { "document", """{"url":"https://cdn.example.com/b.pdf","caption":"boleto","filename":"b.pdf"}""", """{"link":"https://cdn.example.com/b.pdf","caption":"boleto","filename":"b.pdf"}""" },
        { "location", """{"latitude":-23.5505,"longitude":-46.6333,"name":"Sé","address":"SP"}""", """{"latitude":-23.5505,"longitude":-46.6333,"name":"Sé","address":"SP"}""" },
        { "template", """{"name":"pedido","language":"pt_BR","variables":["João","#1"]}""", """{"name":"pedido","language":{"code":"pt_BR"},"components":[{"type":"body","parameters":[{"type":"text","text":"João"},{"type":"text","text":"#1"}]}]}""" },
    };

    [Theory]
    [MemberData(nameof(WireFormats))]
    public async Task Each_type_is_posted_in_the_graph_api_format(string type, string content, string expected)
    {
        var to = ApiCalls.UniquePhone();

        var response = await client.PostApiAsync("v1/messages/send", $$"""{"channel_id":"{{channel}}","to":"{{to}}","type":"{{type}}","content":{{content}} }""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("sent", response.Data.GetProperty("status").GetString());
        var call = Assert.Single(graph.Calls);
        Assert.Equal("/v21.0/106540352242922/messages", call.Path);
        Assert.Equal("Bearer EAAG-secret-token", call.Authorization);
        var expectedBody = $$"""{"messaging_product":"whatsapp","recipient_type":"individual","to":"{{to}}","type":"{{type}}","{{type}}":{{expected}} }""";
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expectedBody), JsonNode.Parse(call.Body.GetRawText())),
            $"expected {expectedBody}\n  posted {call.Body.GetRawText()}");
    }

    [Fact]
    public async Task A_provider_failing_twice_then_succeeding_yields_one_sent_message()
    {
        graph.Then(500, GraphApiStub.Error(131000)).Then(503, "").Then(200, "");

        var response = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("sent", response.Data.GetProperty("status").GetString());
        Assert.Equal(3, graph.Calls.Count);
        Assert.Equal(1, graph.Succeeded);
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the lease: the safety check must not send again
        Assert.Equal(1, graph.Succeeded);
        var chat = response.Data.GetProperty("chat_id").GetString();
        Assert.Equal(1, (await client.GetApiAsync($"v1/chats/{chat}/messages")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(131047, "OUTSIDE_CUSTOMER_SERVICE_WINDOW")]
    [InlineData(131026, "RECIPIENT_UNAVAILABLE")]
    [InlineData(190, "PROVIDER_AUTH_FAILED")]
    [InlineData(132001, "TEMPLATE_ERROR")]
    public async Task Provider_refusals_fail_the_message_with_our_error_code(int code, string ours)
    {
        graph.Then(400, GraphApiStub.Error(code, "refused"));

        var response = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("failed", response.Data.GetProperty("status").GetString());
        Assert.Equal(ours, response.Data.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains($"WhatsApp {code}", response.Data.GetProperty("error").GetProperty("message").GetString());
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Retries_that_run_out_end_in_failed()
    {
        graph.Then(503, "");

        var response = await client.PostApiAsync("v1/messages/send", MessagingCalls.Text(channel, ApiCalls.UniquePhone()));
        var id = response.Data.GetProperty("id").GetString()!;
        var failed = await client.WaitForStatusAsync(id, "failed");

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("PROVIDER_UNAVAILABLE", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, graph.Succeeded);
    }

    [Fact]
    public async Task A_provider_down_leaves_the_message_queued_and_draining_after_recovery_sends_it_once()
    {
        var store = Path.Combine(Path.GetTempPath(), $"interflow-outage-{Guid.NewGuid():N}.db");
        var prefix = $"o{Guid.NewGuid():N}"[..12] + "-";
        string id;
        string key;
        QueueClient queue;
        await using (var down = await StartServerAsync(runConsumers: false, store, prefix))
        {
            var (outageClient, outageChannel) = await ProductionClientAsync(down);
            key = outageClient.DefaultRequestHeaders.Authorization!.Parameter!;
            graph.Then(503, "");
            var response = await outageClient.PostApiAsync("v1/messages/send", MessagingCalls.Text(outageChannel, ApiCalls.UniquePhone()));
            Assert.Equal(HttpStatusCode.Accepted, response.Status);
            Assert.Equal("queued", response.Data.GetProperty("status").GetString());
            Assert.Equal("PROVIDER_UNAVAILABLE", response.Data.GetProperty("error").GetProperty("code").GetString());
            id = response.Data.GetProperty("id").GetString()!;
            queue = down.Services.GetRequiredService<StorageQueues>().Queue(QueueNames.Outbound);
            Assert.True((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount >= 1);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal("queued", (await outageClient.GetMessageAsync(id)).GetProperty("status").GetString());
            outageClient.Dispose();
        }
        var failedCalls = graph.Calls.Count;
        graph.Succeed();

        await using var recovered = await StartServerAsync(runConsumers: true, store, prefix);
        using var recoveredClient = recovered.CreateClient(key);
        var sent = await recoveredClient.WaitForStatusAsync(id, "sent");
        await Task.Delay(TimeSpan.FromSeconds(3)); // every remaining queue message is a no-op now

        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(1, graph.Succeeded);
        Assert.True(graph.Calls.Count > failedCalls);
    }
}
