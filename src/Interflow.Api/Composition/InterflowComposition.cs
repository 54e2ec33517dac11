using Interflow.Api.Http;
using Interflow.Core.Accounts;
using Interflow.Core.Customers;
using Interflow.Core.Idempotency;
using Interflow.Core.RateLimiting;
using Interflow.Infrastructure.Cosmos;
using Interflow.Infrastructure.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddLogging();

        var options = configuration.GetSection(InterflowOptions.Section).Get<InterflowOptions>() ?? new InterflowOptions();
        switch (options.Store)
        {
            case "sqlite":
                services.AddSingleton(_ => new SqliteDatabase(options.SqlitePath));
                services.AddSingleton<IAccountStore, SqliteAccountStore>();
                services.AddSingleton<ICustomerStore, SqliteCustomerStore>();
                services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
                services.AddSingleton<IRateLimitStore, SqliteRateLimitStore>();
                break;
            case "cosmos":
                var endpoint = options.Cosmos.Endpoint
                    ?? throw new InvalidOperationException("Interflow:Cosmos:Endpoint is required when Interflow:Store is 'cosmos'.");
                services.AddSingleton(_ => CosmosClientFactory.Create(endpoint, options.Cosmos.Key, options.Cosmos.Emulator));
                services.AddSingleton(sp => new CosmosContainers(sp.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>(), options.Cosmos.Database));
                services.AddSingleton<IAccountStore, CosmosAccountStore>();
                services.AddSingleton<ICustomerStore, CosmosCustomerStore>();
                services.AddSingleton<IIdempotencyStore, CosmosIdempotencyStore>();
                services.AddSingleton<IRateLimitStore, CosmosRateLimitStore>();
                break;
            default:
                throw new InvalidOperationException($"Interflow:Store must be 'sqlite' or 'cosmos', not '{options.Store}'.");
        }

        services.AddSingleton<AccountAdministration>();
        services.AddSingleton<LocalBootstrap>();
        services.AddSingleton<CustomerCommands>();

        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<RequestRateLimiter>();
        services.AddSingleton<IdempotencyGuard>();
        services.AddSingleton<ApiPipeline>();
        return services;
    }

    /// <summary>
    /// Start-up work of a local run: the emulator's containers when configured with a key, and the bootstrap
    /// account whose keys are printed once (to the console, never to the logs).
    /// </summary>
    public static async Task<BootstrapKeys?> InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<InterflowOptions>>().Value;
        if (options.Store == "cosmos" && !string.IsNullOrEmpty(options.Cosmos.Key))
        {
            await services.GetRequiredService<CosmosContainers>().EnsureCreatedAsync(cancellationToken);
        }
        if (!options.Bootstrap)
        {
            return null;
        }
        var keys = await services.GetRequiredService<LocalBootstrap>().RunAsync(cancellationToken);
        if (keys is not null)
        {
            Console.WriteLine($"""
                Interflow bootstrap account {keys.Account.Id} ({keys.Account.Plan.ToName()}) created. Its keys are shown this once:
                  production (live): {keys.LiveSecret}
                  sandbox    (test): {keys.TestSecret}
                """);
        }
        return keys;
    }
}
