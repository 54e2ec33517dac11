using System.Security.Cryptography;

namespace Interflow.Core;

/// <summary>Opaque, prefixed resource ids (<c>cust_…</c>, <c>key_…</c>) as the contract requires.</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
}
