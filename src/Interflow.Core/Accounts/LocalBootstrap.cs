namespace Interflow.Core.Accounts;

/// <summary>Keys created for a developer on the first local start, printed once by the host and never again.</summary>
public sealed record BootstrapKeys(Account Account, string LiveSecret, string TestSecret);

/// <summary>
/// On an empty store (a fresh local clone) creates one account with a key per environment, so that the API can be
/// called right away. Does nothing once any account exists: the secrets are not recoverable after this.
/// </summary>
public sealed class LocalBootstrap(IAccountStore store, AccountAdministration administration)
{
    public async Task<BootstrapKeys?> RunAsync(CancellationToken cancellationToken)
    {
        if (await store.AnyAccountAsync(cancellationToken))
        {
            return null;
        }
        var account = await administration.CreateAccountAsync("Local development", Plan.Enterprise, cancellationToken);
        var (_, live) = await administration.CreateKeyAsync(account.Id, "bootstrap live", ApiEnvironment.Live, cancellationToken);
        var (_, test) = await administration.CreateKeyAsync(account.Id, "bootstrap test", ApiEnvironment.Test, cancellationToken);
        return new BootstrapKeys(account, live, test);
    }
}
