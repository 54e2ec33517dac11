namespace Interflow.Core.Accounts;

/// <summary>Production (<c>ifk_live_</c> keys) or sandbox (<c>ifk_test_</c> keys); data of the two never mixes.</summary>
public enum ApiEnvironment
{
    Live,
    Test,
}

public static class ApiEnvironmentNames
{
    public static string ToName(this ApiEnvironment environment) => environment == ApiEnvironment.Live ? "live" : "test";

    public static ApiEnvironment Parse(string value) =>
        TryParse(value, out var environment) ? environment : throw new FormatException($"unknown environment '{value}'");

    public static bool TryParse(string? value, out ApiEnvironment environment)
    {
        switch (value)
        {
            case "live": environment = ApiEnvironment.Live; return true;
            case "test": environment = ApiEnvironment.Test; return true;
            default: environment = default; return false;
        }
    }
}
