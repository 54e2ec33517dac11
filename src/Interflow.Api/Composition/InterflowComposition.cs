using Interflow.Api.Console;
using Interflow.Api.Http;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Idempotency;
using Interflow.Core.Messages;
using Interflow.Core.RateLimiting;
using Interflow.Infrastructure;
using Interflow.Infrastructure.Channels;
using Interflow.Infrastructure.Cosmos;
using Interflow.Infrastructure.Queues;
using Interflow.Infrastructure.Sqlite;
using Interflow.Infrastructure.Telemetry;
using Interflow.Infrastructure.Webhooks;
using Interflow.Core.Webhooks;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Interflow.Api.Composition;

/// <summary>The app's one composition: the Functions app and the test server both call <see cref="AddInterflow"/>.</summary>
public static class InterflowComposition
{
    public static IServiceCollection AddInterflow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InterflowOptions>().Bind(configuration.GetSection(InterflowOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        // Every request's lines from ASP.NET Core and every outgoing call's from HttpClient cost more than the request,
        // and name URLs (a query string may hold a phone number, a webhook URL a token): warnings and errors only.
        services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));

        var options = configuration.GetSection(InterflowOptions.Section).Get<InterflowOptions>() ?? new InterflowOptions();
        var traced = TelemetryExport.IsEnabled(configuration);
        switch (options.Store)
        {
            case "sqlite":
                services.AddSingleton(_ => new SqliteDatabase(options.SqlitePath));
                services.AddSingleton<IAccountStore, SqliteAccountStore>();
                services.AddSingleton<IMemberStore, SqliteMemberStore>();
                services.AddSingleton<IConsoleSessionStore, SqliteConsoleSessionStore>();
                services.AddSingleton<ICustomerStore, SqliteCustomerStore>();
                AddChannelStore<SqliteChannelStore>(services, traced ? "sqlite" : null);
                services.AddSingleton<IChatStore, SqliteChatStore>();
                services.AddSingleton<IMessageStore, SqliteMessageStore>();
                services.AddSingleton<IEventLog, SqliteEventLog>();
                services.AddSingleton<IOutboxSource>(sp => new SqliteOutbox(sp.GetRequiredService<SqliteDatabase>(), "customers", CustomerCommands.CustomerKind));
                services.AddSingleton<IOutboxSource>(sp => new SqliteOutbox(sp.GetRequiredService<SqliteDatabase>(), "chats", ChatCommands.Kind));
                services.AddSingleton<IOutboxSource>(sp => new SqliteOutbox(sp.GetRequiredService<SqliteDatabase>(), "messages", OutboundDelivery.Kind));
                services.AddSingleton<IBulkStore, SqliteBulkStore>();
                services.AddSingleton<IRecipientBatchStore, SqliteRecipientBatchStore>();
                services.AddSingleton<IOutboxSource>(sp => new SqliteOutbox(sp.GetRequiredService<SqliteDatabase>(), "bulk_jobs", BulkSends.Kind));
                services.AddSingleton<SqliteWebhookStores>();
                services.AddSingleton<IWebhookEndpointStore>(sp => sp.GetRequiredService<SqliteWebhookStores>());
                services.AddSingleton<IWebhookDeliveryStore>(sp => sp.GetRequiredService<SqliteWebhookStores>());
                services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
                services.AddSingleton<IRateLimitStore, SqliteRateLimitStore>();
                TraceStores(services, traced ? "sqlite" : null);
                break;
            case "cosmos":
                var endpoint = options.Cosmos.Endpoint
                    ?? throw new InvalidOperationException("Interflow:Cosmos:Endpoint is required when Interflow:Store is 'cosmos'.");
                services.AddSingleton(_ => CosmosClientFactory.Create(endpoint, options.Cosmos.Key, options.Cosmos.Emulator));
                services.AddSingleton(sp => new CosmosContainers(sp.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>(), options.Cosmos.Database));
                services.AddSingleton<IAccountStore, CosmosAccountStore>();
                services.AddSingleton<IMemberStore, CosmosMemberStore>();
                services.AddSingleton<IConsoleSessionStore, CosmosConsoleSessionStore>();
                services.AddSingleton<ICustomerStore, CosmosCustomerStore>();
                AddChannelStore<CosmosChannelStore>(services, traced ? "azure.cosmosdb" : null);
                services.AddSingleton<IChatStore, CosmosChatStore>();
                services.AddSingleton<IMessageStore, CosmosMessageStore>();
                services.AddSingleton<IEventLog, CosmosEventLog>();
                services.AddSingleton<IOutboxSource>(sp => new CosmosOutbox(sp.GetRequiredService<CosmosContainers>().Customers, CustomerCommands.CustomerKind));
                services.AddSingleton<IOutboxSource>(sp => new CosmosOutbox(sp.GetRequiredService<CosmosContainers>().Chats, ChatCommands.Kind));
                services.AddSingleton<IOutboxSource>(sp => new CosmosOutbox(sp.GetRequiredService<CosmosContainers>().Messages, OutboundDelivery.Kind));
                services.AddSingleton<IBulkStore, CosmosBulkStore>();
                services.AddSingleton<IRecipientBatchStore, CosmosRecipientBatchStore>();
                services.AddSingleton<IOutboxSource>(sp => new CosmosOutbox(sp.GetRequiredService<CosmosContainers>().Bulk, BulkSends.Kind));
                services.AddSingleton<CosmosWebhookStores>();
                services.AddSingleton<IWebhookEndpointStore>(sp => sp.GetRequiredService<CosmosWebhookStores>());
                services.AddSingleton<IWebhookDeliveryStore>(sp => sp.GetRequiredService<CosmosWebhookStores>());
                services.AddSingleton<IIdempotencyStore, CosmosIdempotencyStore>();
                services.AddSingleton<IRateLimitStore, CosmosRateLimitStore>();
                TraceStores(services, traced ? "azure.cosmosdb" : null);
                break;
            default:
                throw new InvalidOperationException($"Interflow:Store must be 'sqlite' or 'cosmos', not '{options.Store}'.");
        }

        var storage = configuration["AzureWebJobsStorage"];
        var storageAccount = configuration["AzureWebJobsStorage:accountName"];
        services.AddSingleton(_ => new StorageQueues(storage, storageAccount, options.QueuePrefix));
        services.AddSingleton<IOutboundQueue>(sp => sp.GetRequiredService<StorageQueues>());
        services.AddSingleton<IProviderStatusQueue>(sp => sp.GetRequiredService<StorageQueues>());
        services.AddSingleton<IWebhookQueue>(sp => sp.GetRequiredService<StorageQueues>());
        services.AddSingleton<IBulkQueue>(sp => sp.GetRequiredService<StorageQueues>());
        services.AddSingleton(options.Queues);
        services.AddSingleton(options.Bulk);
        services.AddSingleton<QueueConsumers>();

        services.AddSingleton(options.Outbound);
        services.AddSingleton(options.SendGroups);
        services.AddSingleton(options.Webhooks);
        services.AddSingleton(options.Events);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<IWebhookSender, WebhookSender>();
        services.AddSingleton<EndpointHealth>();
        services.AddSingleton<DeliveryTries>();
        services.AddSingleton<EndpointProbes>();
        services.AddSingleton<WebhookFanOut>();
        services.AddSingleton<WebhookRetries>();
        services.AddSingleton<WebhookCommands>();
        services.AddSingleton(options.Sandbox);
        services.AddSingleton<SandboxProvider>();
        services.AddHttpClient<WhatsAppCloudProvider>(client => client.BaseAddress = options.WhatsApp.GraphBaseUrl)
            .AddResilienceHandler("whatsapp", pipeline =>
            {
                // Outermost: the whole call, retries included, stays within the outbound lease.
                pipeline.AddTimeout(TimeSpan.FromSeconds(30));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(250),
                    BackoffType = Polly.DelayBackoffType.Exponential,
                    UseJitter = true,
                    // Longer waits belong to the outbound queue's backoff, not to a request in flight.
                    ShouldRetryAfterHeader = false,
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });
        services.AddSingleton<IMessageProviders, MessageProviders>();

        services.AddSingleton<IResourceSerializer, ApiResourceSerializer>();
        services.AddSingleton<EventFactory>();
        services.AddSingleton<Interflow.Core.Telemetry.MessageCounts>();
        services.AddSingleton<EventRelay>();
        services.AddSingleton<AccountAdministration>();
        services.AddSingleton<MemberAdministration>();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<LocalBootstrap>();
        services.AddSingleton<CustomerCommands>();
        services.AddSingleton<ChatCommands>();
        services.AddSingleton<MessageTransitions>();
        services.AddSingleton<ProviderReports>();
        services.AddSingleton<OutboundDelivery>();
        services.AddSingleton<SendMessage>();
        services.AddSingleton<SendGroups>();
        services.AddSingleton<ProviderStatusUpdates>();
        services.AddSingleton<InboundMessages>();
        services.AddSingleton<ChannelPacer>();
        // IBulkOrchestrator comes from the host: a durable orchestration in the Functions app, a runner in the test server.
        services.AddSingleton<BulkSends>();

        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<PlatformSignIn>();
        services.AddSingleton<ConsoleAuthenticator>();
        services.AddSingleton<RequestRateLimiter>();
        services.AddSingleton<IdempotencyGuard>();
        services.AddSingleton<ApiPipeline>();
        services.AddTelemetryExport(configuration);
        return services;
    }

    /// <summary>The store's channels behind the per-instance read cache; traced (a span per store call, not per cache hit) when telemetry is on.</summary>
    private static void AddChannelStore<TStore>(IServiceCollection services, string? tracedAs)
        where TStore : class, IChannelStore
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<IChannelStore>(sp =>
        {
            IChannelStore store = sp.GetRequiredService<TStore>();
            return ActivatorUtilities.CreateInstance<ChannelReadCache>(sp, tracedAs is null ? store : (IChannelStore)TracedStore.Wrap(typeof(IChannelStore), store, tracedAs));
        });
    }

    /// <summary>The store ports, but for the channel store, which sits beneath its cache (<see cref="AddChannelStore"/>).</summary>
    public static readonly Type[] StorePorts =
    [
        typeof(IAccountStore), typeof(IMemberStore), typeof(IConsoleSessionStore), typeof(ICustomerStore), typeof(IChatStore), typeof(IMessageStore), typeof(IEventLog), typeof(IOutboxSource),
        typeof(IBulkStore), typeof(IRecipientBatchStore), typeof(IWebhookEndpointStore), typeof(IWebhookDeliveryStore),
        typeof(IIdempotencyStore), typeof(IRateLimitStore),
    ];

    /// <summary>A span per store call (<see cref="TracedStore"/>) while telemetry is on.</summary>
    private static void TraceStores(IServiceCollection services, string? system)
    {
        if (system is not null)
        {
            ServiceDecoration.Decorate(services, StorePorts, (port, store) => TracedStore.Wrap(port, store, system));
        }
    }

    /// <summary>
    /// Start-up work of a local run: the emulator's containers when configured with a key; with bootstrap on, the
    /// bootstrap account on an empty store, whose keys are printed once, and at every start a one-time console sign-in
    /// link for its owner (to the console, never to the logs; neither while telemetry is exported, since the
    /// Functions host logs the worker's console and exports its logs with the telemetry).
    /// </summary>
    public static async Task<LocalStart> InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<InterflowOptions>>().Value;
        if (options.Store == "cosmos" && !string.IsNullOrEmpty(options.Cosmos.Key))
        {
            await services.GetRequiredService<CosmosContainers>().EnsureCreatedAsync(cancellationToken);
        }
        var configuration = services.GetRequiredService<IConfiguration>();
        if (!string.IsNullOrEmpty(configuration["AzureWebJobsStorage"]))
        {
            await services.GetRequiredService<StorageQueues>().EnsureCreatedAsync(cancellationToken);
        }
        if (!options.Bootstrap)
        {
            return new LocalStart(null, null);
        }
        var bootstrap = services.GetRequiredService<LocalBootstrap>();
        var keys = await bootstrap.RunAsync(cancellationToken);
        var signIn = await bootstrap.SignInTokenAsync(cancellationToken) is { } token ? ConsoleApi.SignInPath(token) : null;
        if (TelemetryExport.IsEnabled(configuration))
        {
            if (keys is not null)
            {
                System.Console.WriteLine($"Interflow bootstrap account {keys.Account.Id} ({keys.Account.Plan.ToName()}) created. Its keys and console sign-in links are not printed while telemetry is exported: the operator routes make them (POST /manage/accounts/{keys.Account.Id}/keys).");
            }
            return new LocalStart(keys, null);
        }
        if (keys is not null)
        {
            System.Console.WriteLine($"""
                Interflow bootstrap account {keys.Account.Id} ({keys.Account.Plan.ToName()}) created. Its keys are shown this once:
                  production (live): {keys.LiveSecret}
                  sandbox    (test): {keys.TestSecret}
                """);
        }
        if (signIn is not null)
        {
            System.Console.WriteLine($"Interflow console sign-in for the local owner (once, within {MemberAdministration.LinkLifetime.TotalMinutes:0} minutes): {signIn}");
        }
        return new LocalStart(keys, signIn);
    }
}

/// <summary>What a local start printed: the bootstrap keys (a new store only) and the owner's console sign-in path.</summary>
public sealed record LocalStart(BootstrapKeys? Keys, string? SignInPath);
