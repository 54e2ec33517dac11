using System.Net;
using System.Text;
using Interflow.Core.RateLimiting;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interflow.Api.Tests;

/// <summary>What the pipeline answers before any handler runs, and what it never lets out.</summary>
public sealed class TransportTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    [Fact]
    public async Task Body_over_one_mebibyte_is_413_and_nothing_is_stored()
    {
        using var client = await fixture.NewClientAsync();
        var huge = $$"""{"name":"{{new string('a', 1024 * 1024)}}","phone":"{{ApiCalls.UniquePhone()}}"}""";

        var response = await client.PostApiAsync("v1/customers", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", response.ErrorCode);
        Assert.Equal(0, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413_too()
    {
        using var client = await fixture.NewClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/customers")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"name":"{{new string('b', 1_100_000)}}"}"""))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("PAYLOAD_TOO_LARGE", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    public async Task Non_json_body_is_415(string contentType)
    {
        using var client = await fixture.NewClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/customers")
        {
            Content = new StringContent("""{"name":"x","phone":"5511999999999"}""", Encoding.UTF8, contentType),
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("\"UNSUPPORTED_MEDIA_TYPE\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"name\":")]
    [InlineData("not json")]
    [InlineData("{\"name\":\"a\",}")]
    public async Task Malformed_json_is_400_INVALID_JSON(string body)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INVALID_JSON", response.ErrorCode);
    }

    [Fact]
    public async Task Missing_body_on_post_is_400()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INVALID_JSON", response.ErrorCode);
        Assert.Equal("O corpo da requisição é obrigatório", response.ErrorMessage);
    }

    [Fact]
    public async Task Json_that_is_not_an_object_is_a_validation_error()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", "[1,2]");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal([("body", "Deve ser um objeto")], response.Details);
    }

    [Theory]
    [InlineData("GET", "v1/nope")]
    [InlineData("POST", "v2/customers")]
    [InlineData("GET", "")]
    [InlineData("GET", "v1/customers/abc/extra")]
    [InlineData("GET", "favicon.ico")]
    [InlineData("GET", "v1/customers.json")]
    public async Task Unknown_route_is_404_in_the_envelope(string method, string path)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.CallAsync(new HttpMethod(method), path, null, null);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("NOT_FOUND", response.ErrorCode);
    }

    [Theory]
    [InlineData("PATCH", "v1/customers", "GET, POST")]
    [InlineData("DELETE", "v1/customers", "GET, POST")]
    [InlineData("POST", "v1/customers/cust_1", "GET, PUT, DELETE")]
    public async Task Wrong_method_is_405_with_allow(string method, string path, string allow)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.CallAsync(new HttpMethod(method), path, null, null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("METHOD_NOT_ALLOWED", response.ErrorCode);
        Assert.Equal(allow, string.Join(", ", response.ContentHeaders.Allow));
    }

    [Fact]
    public async Task A_failing_store_yields_500_without_internals()
    {
        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings
        {
            ConfigureServices = services => services.AddSingleton<IRateLimitStore, ExplodingRateLimitStore>(),
        });
        var account = await InterflowServerFixture.CreateAccountAsync(server, Core.Accounts.Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);

        var response = await client.GetApiAsync("v1/customers");

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("INTERNAL_ERROR", response.ErrorCode);
        Assert.Contains(response.Header("X-Request-Id"), response.ErrorMessage);
        Assert.DoesNotContain(ExplodingRateLimitStore.Secret, response.Raw);
        Assert.DoesNotContain("   at ", response.Raw);
    }

    [Fact]
    public async Task An_unreachable_queue_is_503_and_the_send_stores_nothing()
    {
        var settings = InterflowServerFixture.FastSettings();
        settings.RunQueueConsumers = false;
        // The outbound queue at a loopback port nothing listens on: every enqueue fails to connect.
        const string unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        settings.ConfigureServices = services => services.AddSingleton<Core.Messages.IOutboundQueue>(new Infrastructure.Queues.StorageQueues(unreachable, null));
        await using var server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Core.Accounts.Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);
        var channel = (await client.PostApiAsync("v1/channels", new { name = "S", kind = "sandbox" })).Data.GetProperty("id").GetString();

        var response = await client.PostApiAsync("v1/messages/send", new { channel_id = channel, to = ApiCalls.UniquePhone(), type = "text", content = new { text = "oi" } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal("SERVICE_UNAVAILABLE", response.ErrorCode);
        Assert.Equal("1", response.Header("Retry-After"));
        // The block's safety check is enqueued before anything is written: no customer, chat or message exists.
        Assert.Equal(0, (await client.GetApiAsync("v1/chats")).Body.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(0, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(false, HttpStatusCode.InternalServerError, "INTERNAL_ERROR", LogLevel.Error)]
    [InlineData(true, HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE", LogLevel.Warning)]
    public async Task Every_remaining_5xx_answers_the_envelope_without_internals_and_is_logged_with_its_request_id(
        bool unavailable, HttpStatusCode status, string code, LogLevel level)
    {
        var logs = new CapturedLogs();
        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IRateLimitStore>(new ExplodingRateLimitStore(unavailable));
                services.AddSingleton<ILoggerProvider>(logs);
            },
        });
        var account = await InterflowServerFixture.CreateAccountAsync(server, Core.Accounts.Plan.Enterprise);
        using var client = server.CreateClient(account.LiveKey);

        var response = await client.GetApiAsync("v1/customers", r => r.Headers.Add("X-Request-Id", "req-5xx-check"));

        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.ErrorCode);
        Assert.Equal(["success", "error"], response.Body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["code", "message"], response.Body.GetProperty("error").EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(ExplodingRateLimitStore.Secret, response.Raw);
        Assert.DoesNotContain("Exception", response.Raw);
        var entry = Assert.Single(logs.Entries, e => e.Level == level && e.Message.Contains("req-5xx-check", StringComparison.Ordinal));
        Assert.Contains(ExplodingRateLimitStore.Secret, entry.Exception);
    }

    /// <summary>Log entries of every category, kept for assertions.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message, string Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception), exception?.ToString() ?? ""));
        }
    }

    /// <param name="unavailable">Fail as an unreachable store does (the adapters' "try again"), or with an unexpected error.</param>
    private sealed class ExplodingRateLimitStore(bool unavailable = false) : IRateLimitStore
    {
        public const string Secret = "Server=db.internal;Password=hunter2";

        public Task<long> IncrementAsync(string counterId, long amount, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            throw (unavailable ? new Core.StoreUnavailableException(new HttpRequestException(Secret)) : new InvalidOperationException(Secret));
    }
}
