using Interflow.Core.Accounts;
using Interflow.TestServer;

namespace Interflow.Client.Tests;

/// <summary>A test server, and clients for fresh accounts on it, each behind its own <see cref="RecordingHandler"/>.</summary>
public sealed class ClientFixture : IAsyncLifetime
{
    public InterflowTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = InterflowServerFixture.FastSettings();
        // The webhook receivers of these tests listen on plain http on loopback, as a local app's would.
        settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
        Server = await InterflowTestServer.StartAsync(settings);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client for a fresh account of this plan (its test key: sandbox data).</summary>
    public async Task<(InterflowClient Client, RecordingHandler Wire)> NewClientAsync(
        Plan plan = Plan.Enterprise, Action<InterflowClientOptions>? configure = null)
    {
        var account = await InterflowServerFixture.CreateAccountAsync(Server, plan);
        var wire = new RecordingHandler(new SocketsHttpHandler());
        // Quick backoff: what is tested is which requests are retried, and how, not how long they wait.
        var options = new InterflowClientOptions { ApiKey = account.TestKey, RetryDelay = TimeSpan.FromMilliseconds(20) };
        configure?.Invoke(options);
        return (new InterflowClient(new HttpClient(wire) { BaseAddress = Server.BaseAddress }, options), wire);
    }
}
