using System.Text.Json;

namespace Interflow.Core.Accounts;

/// <summary>How much of a resource a restricted key may use; <see cref="Write"/> includes reading.</summary>
public enum ResourceAccess
{
    None,
    Read,
    Write,
}

/// <summary>What an operation needs: a resource and how much of it (<c>customers:read</c>, <c>messages:write</c>).</summary>
public readonly record struct KeyPermission(string Resource, ResourceAccess Access)
{
    public override string ToString() => $"{Resource}:{EnumNames.Name(Access)}";
}

/// <summary>
/// A restricted key's grants, Stripe's model: per resource none, read or write; a resource it does not name is none.
/// A key without restrictions has its environment's full access, and a restricted one never more than that.
/// </summary>
public sealed record KeyRestrictions(IReadOnlyDictionary<string, ResourceAccess> Resources)
{
    /// <summary>The resources of the public API a key can be restricted on.</summary>
    public static readonly IReadOnlyList<string> ResourceNames = ["customers", "messages", "bulk", "chats", "webhooks", "channels"];

    public bool Allows(KeyPermission permission) => Resources.TryGetValue(permission.Resource, out var granted) && granted >= permission.Access;

    /// <summary>As stores keep it: <c>{"customers":"read",…}</c>, every resource named.</summary>
    public string ToJson() => JsonSerializer.Serialize(ResourceNames.ToDictionary(r => r, r => EnumNames.Name(Resources.GetValueOrDefault(r))));

    public static KeyRestrictions FromJson(string json) => new(
        JsonSerializer.Deserialize<Dictionary<string, string>>(json)!.ToDictionary(p => p.Key, p => EnumNames.Parse<ResourceAccess>(p.Value)));

    public override string ToString() => string.Join(", ", ResourceNames.Select(r => $"{r}:{EnumNames.Name(Resources.GetValueOrDefault(r))}"));

    public bool Equals(KeyRestrictions? other) => other is not null && ResourceNames.All(r => Resources.GetValueOrDefault(r) == other.Resources.GetValueOrDefault(r));

    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}
