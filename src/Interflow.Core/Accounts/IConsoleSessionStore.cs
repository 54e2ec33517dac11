namespace Interflow.Core.Accounts;

/// <summary>Console sessions and one-time sign-in links, by the hash of their tokens; both expire on their own.</summary>
public interface IConsoleSessionStore
{
    Task CreateSessionAsync(ConsoleSession session, CancellationToken cancellationToken);

    Task<ConsoleSession?> GetSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Writes a session seen again (its idle expiry moved on).</summary>
    Task SaveSessionAsync(ConsoleSession session, CancellationToken cancellationToken);

    Task DeleteSessionAsync(string id, CancellationToken cancellationToken);

    Task CreateSignInLinkAsync(SignInLink link, CancellationToken cancellationToken);

    /// <summary>Marks a link used, once: the link as it was when this call used it; null when it is unknown, used or expired.</summary>
    Task<SignInLink?> ConsumeSignInLinkAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);
}
