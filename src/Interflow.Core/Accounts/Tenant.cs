namespace Interflow.Core.Accounts;

/// <summary>
/// The unit of data isolation: one account in one environment. Every customer-facing record is keyed by it, and
/// it is the partition key of the Cosmos containers that hold such records.
/// </summary>
public readonly record struct Tenant(string AccountId, ApiEnvironment Environment)
{
    public string Key => $"{AccountId}:{Environment.ToName()}";

    public override string ToString() => Key;
}
