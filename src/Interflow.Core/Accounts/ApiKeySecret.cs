using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Interflow.Core.Accounts;

/// <summary>The secret half of an API key: its format, generation and the hash stored in its place.</summary>
public static partial class ApiKeySecret
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int RandomLength = 32;

    public static string Generate(ApiEnvironment environment) =>
        $"ifk_{environment.ToName()}_{RandomNumberGenerator.GetString(Alphabet, RandomLength)}";

    /// <summary>Parses the environment out of a well-formed key; false for anything malformed.</summary>
    public static bool TryParse(string? secret, out ApiEnvironment environment)
    {
        environment = default;
        if (secret is null)
        {
            return false;
        }
        var match = Format().Match(secret);
        return match.Success && ApiEnvironmentNames.TryParse(match.Groups[1].Value, out environment);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison, so response timing says nothing about how much of a hash matched.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    public static string DisplayPrefix(string secret) => secret[..13];

    [GeneratedRegex("^ifk_(live|test)_[A-Za-z0-9]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Format();
}
