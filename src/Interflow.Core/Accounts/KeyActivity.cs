namespace Interflow.Core.Accounts;

/// <summary>One change to an account's keys, kept with the account: who did what to which key, and when. Never a secret.</summary>
/// <param name="Action">created, rolled or revoked.</param>
/// <param name="Detail">A roll's grace, a key's expiry or restrictions: what the change was made with.</param>
public sealed record KeyActivity(
    string Id, string AccountId, string Action, string KeyId, string KeyName, ApiEnvironment Environment, string Actor, DateTimeOffset At, string? Detail);
