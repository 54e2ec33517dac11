using System.Text.Json;

namespace Interflow.Core;

/// <summary>Enums as the API and the stores write them: snake_case (<c>Queued</c> → <c>queued</c>).</summary>
public static class EnumNames
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParse<T>(string? value, out T result) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Name(candidate) == value)
            {
                result = candidate;
                return true;
            }
        }
        result = default;
        return false;
    }

    public static T Parse<T>(string value) where T : struct, Enum =>
        TryParse<T>(value, out var result) ? result : throw new FormatException($"unknown {typeof(T).Name} '{value}'");

    public static string List<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Name));
}
