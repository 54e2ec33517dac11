using System.Security.Cryptography;
using System.Text;

namespace Interflow.Core.Accounts;

/// <summary>
/// Console sessions: started by a one-time link (local runs) or by the platform's sign-in (Azure), stored server-side
/// under the hash of the cookie's token, ending after <see cref="IdleTimeout"/> without a request or
/// <see cref="Lifetime"/> in all, or when their member is removed.
/// </summary>
public sealed class ConsoleSessions(IConsoleSessionStore store, IMemberStore members, TimeProvider clock)
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    // A session's last request is written at most this often: the idle timeout is coarse by this much, and a page
    // polling the API costs a session write a minute, not one per request.
    private static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>Uses a sign-in link: a new session for its member, or null when the link is unknown, used, expired, or its member gone.</summary>
    public async Task<(string Token, ConsoleSession Session)?> SignInWithLinkAsync(string linkToken, CancellationToken cancellationToken)
    {
        var link = await store.ConsumeSignInLinkAsync(ConsoleTokens.Hash(linkToken), clock.GetUtcNow(), cancellationToken);
        if (link is null || await members.GetAsync(link.AccountId, link.MemberId, cancellationToken) is not { } member)
        {
            return null;
        }
        return await StartAsync(member, cancellationToken);
    }

    /// <summary>A new session for a member the platform signed in.</summary>
    public async Task<(string Token, ConsoleSession Session)> StartAsync(Member member, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = ConsoleTokens.New();
        var session = new ConsoleSession(ConsoleTokens.Hash(token), member.AccountId, member.Id, ConsoleTokens.New(), now, now, now + Lifetime);
        await store.CreateSessionAsync(session, cancellationToken);
        return (token, session);
    }

    /// <summary>The session of a cookie's token and its member, if both are still current; seen now.</summary>
    public async Task<(ConsoleSession Session, Member Member)?> ResumeAsync(string token, CancellationToken cancellationToken)
    {
        var session = await store.GetSessionAsync(ConsoleTokens.Hash(token), cancellationToken);
        var now = clock.GetUtcNow();
        if (session is null)
        {
            return null;
        }
        if (now >= session.ExpiresAt || now - session.LastSeenAt >= IdleTimeout
            || await members.GetAsync(session.AccountId, session.MemberId, cancellationToken) is not { } member)
        {
            await store.DeleteSessionAsync(session.Id, cancellationToken);
            return null;
        }
        if (now - session.LastSeenAt >= SeenResolution)
        {
            session = session with { LastSeenAt = now };
            await store.SaveSessionAsync(session, cancellationToken);
        }
        return (session, member);
    }

    public Task SignOutAsync(ConsoleSession session, CancellationToken cancellationToken) => store.DeleteSessionAsync(session.Id, cancellationToken);
}

/// <summary>The random tokens of sessions and links (256 bits, URL-safe), and the hash they are stored under.</summary>
public static class ConsoleTokens
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
