namespace Interflow.Core.Accounts;

/// <summary>A console session, stored server-side under the hash of its cookie's token.</summary>
/// <param name="CsrfToken">What every state-changing call must send back in a header: a cookie alone changes nothing.</param>
public sealed record ConsoleSession(
    string Id, string AccountId, string MemberId, string CsrfToken, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);

/// <summary>A one-time sign-in link's record, stored under the hash of its token: valid once, until it expires.</summary>
public sealed record SignInLink(string Id, string AccountId, string MemberId, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);
