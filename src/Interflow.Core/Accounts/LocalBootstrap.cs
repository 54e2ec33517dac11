namespace Interflow.Core.Accounts;

/// <summary>Keys created for a developer on the first local start, printed once by the host and never again.</summary>
public sealed record BootstrapKeys(Account Account, string LiveSecret, string TestSecret);

/// <summary>
/// On an empty store (a fresh local clone) creates one account with a key per environment and an owner, so that the
/// API and the console can be used right away. Does nothing once any account exists: the secrets are not recoverable
/// after this. At every local start, the owner gets a fresh one-time sign-in link to the console.
/// </summary>
public sealed class LocalBootstrap(IAccountStore store, IMemberStore members, AccountAdministration administration, MemberAdministration people)
{
    /// <summary>The local owner's subject (issuer <see cref="Member.LocalIssuer"/>), by which each start finds them again.</summary>
    public const string OwnerSubject = "bootstrap-owner";

    public async Task<BootstrapKeys?> RunAsync(CancellationToken cancellationToken)
    {
        if (await store.AnyAccountAsync(cancellationToken))
        {
            return null;
        }
        var account = await administration.CreateAccountAsync("Local development", Plan.Enterprise, cancellationToken);
        var (_, live) = await administration.CreateKeyAsync(account.Id, "bootstrap live", ApiEnvironment.Live, cancellationToken);
        var (_, test) = await administration.CreateKeyAsync(account.Id, "bootstrap test", ApiEnvironment.Test, cancellationToken);
        await people.AddAsync(account.Id, "Local developer", null, MemberRole.Owner, null, OwnerSubject, cancellationToken);
        return new BootstrapKeys(account, live, test);
    }

    /// <summary>A one-time sign-in token for the local owner; null when the store has none (its account was made otherwise).</summary>
    public async Task<string?> SignInTokenAsync(CancellationToken cancellationToken)
    {
        var owners = await members.FindByIdentityAsync(Member.LocalIssuer, OwnerSubject, cancellationToken);
        return owners.Count == 0 ? null : (await people.MintSignInLinkAsync(owners[0].AccountId, owners[0].Id, cancellationToken)).Token;
    }
}
