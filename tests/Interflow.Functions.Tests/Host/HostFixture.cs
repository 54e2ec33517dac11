using System.Diagnostics;

namespace Interflow.Functions.Tests.Host;

/// <summary>
/// The app's build output in a real Functions host (see <see cref="FunctionsHost"/>), on an Azurite and a store of its
/// own, started once for the host tests; where no host is available the tests skip with <see cref="FunctionsHost.Unavailable"/>.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public FunctionsHost Host { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public TimeSpan StartedIn { get; private set; }

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        if (FunctionsHost.Unavailable is not null)
        {
            return;
        }
        azurite = await AzuriteProcess.StartAsync();
        var watch = Stopwatch.StartNew();
        var settings = new FunctionsHostSettings { Storage = azurite.ConnectionString };
        // host.json keeps each invocation's lines at Warning (their cost); these tests read them to see which function ran.
        settings.Values[FunctionsHost.ExecutionLogSetting] = "Information";
        Host = await FunctionsHost.StartAsync(settings);
        StartedIn = watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
        await Receiver.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "Functions host";
}
