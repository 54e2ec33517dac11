using Interflow.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Interflow.TestServer;

/// <summary>An account with a key for each environment.</summary>
public sealed record TestAccount(string Id, Plan Plan, string LiveKey, string TestKey)
{
    public string Key(ApiEnvironment environment) => environment == ApiEnvironment.Live ? LiveKey : TestKey;
}

/// <summary>
/// xunit fixture: one test server on a fresh store, with an account per plan ready. Tests that count requests or
/// need data no one else sees make their own account with <see cref="NewAccountAsync"/>.
/// </summary>
public sealed class InterflowServerFixture : IAsyncLifetime
{
    private readonly Dictionary<Plan, TestAccount> accounts = [];

    public InterflowTestServer Server { get; private set; } = null!;

    public TestAccount Starter => accounts[Plan.Starter];

    public TestAccount Professional => accounts[Plan.Professional];

    public TestAccount Enterprise => accounts[Plan.Enterprise];

    /// <summary>Test defaults: the sandbox reports within a second and outbound retries come quickly.</summary>
    public static TestServerSettings FastSettings()
    {
        var settings = new TestServerSettings();
        settings.Configuration["Interflow:Sandbox:DeliveredAfter"] = "00:00:00.300";
        settings.Configuration["Interflow:Sandbox:ReadAfter"] = "00:00:00.700";
        settings.Configuration["Interflow:Outbound:BaseDelay"] = "00:00:00.200";
        settings.Configuration["Interflow:Outbound:Lease"] = "00:00:02";
        return settings;
    }

    public async Task InitializeAsync()
    {
        Server = await InterflowTestServer.StartAsync(FastSettings());
        foreach (var plan in Enum.GetValues<Plan>())
        {
            accounts[plan] = await NewAccountAsync(plan);
        }
    }

    public Task<TestAccount> NewAccountAsync(Plan plan = Plan.Enterprise) => CreateAccountAsync(Server, plan);

    /// <summary>Creates an account with one key per environment directly through the use cases of a server.</summary>
    public static async Task<TestAccount> CreateAccountAsync(InterflowTestServer server, Plan plan)
    {
        var administration = server.Services.GetRequiredService<AccountAdministration>();
        var account = await administration.CreateAccountAsync($"Test {plan}", plan, CancellationToken.None);
        var (_, live) = await administration.CreateKeyAsync(account.Id, "live", ApiEnvironment.Live, CancellationToken.None);
        var (_, test) = await administration.CreateKeyAsync(account.Id, "test", ApiEnvironment.Test, CancellationToken.None);
        return new TestAccount(account.Id, plan, live, test);
    }

    /// <summary>A client acting for a fresh enterprise account in production.</summary>
    public async Task<HttpClient> NewClientAsync(Plan plan = Plan.Enterprise)
    {
        var account = await NewAccountAsync(plan);
        return Server.CreateClient(account.LiveKey);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
