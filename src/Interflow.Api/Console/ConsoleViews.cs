using Interflow.Api.OpenApi;
using Interflow.Core;
using Interflow.Core.Accounts;

namespace Interflow.Api.Console;

/// <summary>A key as the console shows it: never its secret or hash; <c>restrictions</c> null for full access.</summary>
public sealed record ConsoleKeyView(
    string Id, string Name, [property: EnumOf(typeof(ApiEnvironment))] string Environment, string Prefix,
    [property: EnumOf(typeof(ApiKeyState))] string State, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, IReadOnlyDictionary<string, string>? Restrictions)
{
    public static ConsoleKeyView From(ApiKey key, DateTimeOffset now) => new(
        key.Id, key.Name, key.Environment.ToName(), key.Prefix, EnumNames.Name(key.StateAt(now)), key.CreatedAt, key.CreatedBy, key.LastUsedAt,
        key.ExpiresAt, key.RevokedAt,
        key.Restrictions is { } restrictions ? KeyRestrictions.ResourceNames.ToDictionary(r => r, r => EnumNames.Name(restrictions.Resources.GetValueOrDefault(r))) : null);
}

/// <summary>A key just made, with its secret: the one answer that carries it.</summary>
public sealed record CreatedConsoleKeyView(ConsoleKeyView Key, string Secret);

/// <summary>A roll's outcome: the new key with its secret, and the old one with the end of its grace.</summary>
public sealed record RolledKeyView(ConsoleKeyView Key, string Secret, ConsoleKeyView Previous);

public sealed record KeyActivityView(
    string Id, string Action, string KeyId, string KeyName, [property: EnumOf(typeof(ApiEnvironment))] string Environment, string Actor,
    DateTimeOffset At, string? Detail)
{
    public static KeyActivityView From(KeyActivity activity) => new(
        activity.Id, activity.Action, activity.KeyId, activity.KeyName, activity.Environment.ToName(), activity.Actor, activity.At, activity.Detail);
}

public sealed record MemberView(
    string Id, string Name, string? Email, [property: EnumOf(typeof(MemberRole))] string Role, string Issuer, string Subject, DateTimeOffset CreatedAt)
{
    public static MemberView From(Member member) =>
        new(member.Id, member.Name, member.Email, EnumNames.Name(member.Role), member.Issuer, member.Subject, member.CreatedAt);
}

public sealed record ConsoleAccountView(string Id, string Name, string Plan);

/// <summary>Who is signed in, to which account, and the anti-forgery token every change must send back.</summary>
public sealed record ConsoleSessionView(ConsoleAccountView Account, MemberView Member, bool CanChangeKeys, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>A sign-in link minted for a member: its path, valid once until it expires (the token is shown this once).</summary>
public sealed record SignInLinkView(string Path, DateTimeOffset ExpiresAt);

public sealed record SignedOutView(bool SignedOut);
