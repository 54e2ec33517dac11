using Interflow.Api.Composition;
using Interflow.Api.Http;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Infrastructure.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Interflow.TestServer;

/// <summary>How to start a test server; every field has a usable default.</summary>
public sealed class TestServerSettings
{
    /// <summary>The SQLite file; several servers given the same file share one store, as app instances share Cosmos DB.</summary>
    public string SqlitePath { get; set; } = Path.Combine(Path.GetTempPath(), $"interflow-{Guid.NewGuid():N}.db");

    /// <summary>0 picks a free loopback port.</summary>
    public int Port { get; set; }

    public string AdminKey { get; set; } = "test-admin-key";

    public bool Bootstrap { get; set; }

    /// <summary>Replaces the clock, e.g. to pin a rate-limit window.</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>Last word on services, to put a failing store in place for a test.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public bool Quiet { get; set; } = true;

    /// <summary>Run the queue consumers in-process (on by default; off to leave messages in the queues).</summary>
    public bool RunQueueConsumers { get; set; } = true;

    /// <summary>How long a stop lets queue handlers in flight finish before cancelling them (their messages are redelivered).</summary>
    public TimeSpan DrainTimeout { get; set; } = QueuePump.DefaultDrainTimeout;

    /// <summary>Storage for the queues: <c>INTERFLOW_TEST_STORAGE</c> (set by scripts/test.sh), else local Azurite on its default ports.</summary>
    public string Storage { get; set; } = Environment.GetEnvironmentVariable("INTERFLOW_TEST_STORAGE") ?? "UseDevelopmentStorage=true";

    /// <summary>This server's own queues; servers that should share queues (two instances of one app) get the same prefix.</summary>
    public string QueuePrefix { get; set; } = $"t{Guid.NewGuid():N}"[..12] + "-";

    /// <summary>Check every response against the OpenAPI documents (<see cref="ResponseContract"/>); off for load runs.</summary>
    public bool CheckResponses { get; set; } = true;

    /// <summary>Record traces, metrics and logs into this capture (in-memory exporters); none by default, as in a local run.</summary>
    public TelemetryCapture? Telemetry { get; set; }

    /// <summary>Further configuration, e.g. <c>Interflow:WhatsApp:GraphBaseUrl</c> or a compressed retry schedule.</summary>
    public Dictionary<string, string?> Configuration { get; } = [];
}

/// <summary>
/// Kestrel on loopback serving exactly <see cref="ApiRouteTable.All"/> through the same <see cref="ApiPipeline"/>
/// and composition as the Functions app, on the embedded store: real HTTP for tests, load tools and curl.
/// </summary>
public sealed class InterflowTestServer : IApiHost, IAsyncDisposable
{
    private readonly WebApplication app;

    private InterflowTestServer(WebApplication app, Uri baseAddress, string adminKey, LocalStart start)
    {
        this.app = app;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        Bootstrap = start.Keys;
        SignInPath = start.SignInPath;
    }

    public Uri BaseAddress { get; }

    public string AdminKey { get; }

    /// <summary>The keys printed at start when the store was empty and bootstrap was on.</summary>
    public BootstrapKeys? Bootstrap { get; }

    /// <summary>The local owner's one-time console sign-in path printed at start, with bootstrap on.</summary>
    public string? SignInPath { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<InterflowTestServer> StartAsync(TestServerSettings? settings = null)
    {
        settings ??= new TestServerSettings();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Interflow:Store"] = "sqlite",
            ["Interflow:SqlitePath"] = settings.SqlitePath,
            ["Interflow:AdminKey"] = settings.AdminKey,
            ["Interflow:Bootstrap"] = settings.Bootstrap ? "true" : "false",
            ["Interflow:QueuePrefix"] = settings.QueuePrefix,
            ["AzureWebJobsStorage"] = settings.Storage,
        });
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        if (settings.Telemetry is not null)
        {
            builder.Configuration["Interflow:Telemetry:Enabled"] = "true";
        }
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        if (settings.Quiet)
        {
            builder.Logging.ClearProviders();
        }
        else
        {
            // ASP.NET Core's own lines for every request (four a request) would cost a load test more than the request.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }
        builder.Services.AddInterflow(builder.Configuration);
        settings.Telemetry?.AddTo(builder.Services);
        // The slim builder leaves out the regex route constraint that the catch-alls use; the Functions host has it.
        builder.Services.Configure<RouteOptions>(options => options.SetParameterPolicy<RegexInlineRouteConstraint>("regex"));
        if (settings.Clock is not null)
        {
            builder.Services.AddSingleton(settings.Clock);
        }
        // Bulk jobs start as in the Functions app, through the bulk-jobs queue; its handler here coordinates in-process.
        builder.Services.AddSingleton<Interflow.Core.Bulk.IBulkOrchestrator, QueuedBulkStart>();
        builder.Services.AddSingleton<InProcessBulkOrchestration>();
        if (settings.RunQueueConsumers)
        {
            builder.Services.AddHostedService(sp => new QueuePump(
                sp.GetRequiredService<StorageQueues>(), Handlers(sp), sp.GetRequiredService<EventRelay>(), sp.GetRequiredService<ILogger<QueuePump>>(),
                settings.DrainTimeout));
        }
        // A stop must end within seconds: the pump drains for its drain time, then leaves work to redelivery.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(8));
        settings.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        settings.Telemetry?.Attach(app.Services);
        if (settings.CheckResponses)
        {
            app.Use(CheckResponseAsync);
        }
        MapRoutes(app);
        var start = await InterflowComposition.InitializeAsync(app.Services, CancellationToken.None);
        await app.StartAsync();
        return new InterflowTestServer(app, new Uri(LoopbackHost.AddressOf(app) + "/"), settings.AdminKey, start);
    }

    /// <summary>What the Functions app's queue triggers run, by queue: the consumers, and the bulk coordination in place of the durable starter.</summary>
    public static IReadOnlyDictionary<string, QueueHandler> Handlers(IServiceProvider services)
    {
        var handlers = services.GetRequiredService<QueueConsumers>().Handlers.ToDictionary(h => h.Key, h => new QueueHandler(h.Value));
        handlers[QueueNames.BulkJobs] = new QueueHandler(QueueConsumers.Traced(QueueNames.BulkJobs, services.GetRequiredService<InProcessBulkOrchestration>().RunAsync));
        return handlers;
    }

    /// <summary>One endpoint per route of the table, as the Functions app has one function per route.</summary>
    public static void MapRoutes(WebApplication app)
    {
        foreach (var route in ApiRouteTable.All)
        {
            app.MapMethods("/" + route.Template, [route.Method], (HttpContext http, ApiPipeline pipeline) => pipeline.RunAsync(http, route))
                .WithName(route.Name)
                .WithSummary(route.Summary);
        }
        // The Functions app's catch-alls, with the same templates (they take file-like paths such as favicon.ico too).
        foreach (var unmatched in UnmatchedRoutes.All)
        {
            app.MapMethods("/" + unmatched.Template, unmatched.Methods, (HttpContext http, ApiPipeline pipeline) => pipeline.RunUnmatched(http));
        }
    }

    /// <summary>Keeps a copy of the response body on its way out and hands the whole response to <see cref="ResponseContract"/>.</summary>
    private static async Task CheckResponseAsync(HttpContext http, RequestDelegate next)
    {
        var original = http.Response.Body;
        using var copy = new MemoryStream();
        http.Response.Body = copy;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        copy.Position = 0;
        await copy.CopyToAsync(original, http.RequestAborted);
        var response = http.Response;
        var headers = response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        ResponseContract.Check(operation, $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", response.StatusCode, response.ContentType, headers, copy.ToArray());
    }

    /// <summary>Completes once the host was asked to stop (Ctrl+C, SIGTERM) and has stopped.</summary>
    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    /// <summary>A client for the API; with a key it sends <c>Authorization: Bearer</c>.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    /// <summary>A client for the admin routes.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
