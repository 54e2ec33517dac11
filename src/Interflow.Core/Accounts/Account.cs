namespace Interflow.Core.Accounts;

public sealed record Account(string Id, string Name, Plan Plan, DateTimeOffset CreatedAt);
