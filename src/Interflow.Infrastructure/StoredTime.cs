using System.Globalization;

namespace Interflow.Infrastructure;

/// <summary>
/// Timestamps as stores keep them: fixed-width UTC text with seven fractional digits, so that ordering by the text
/// is ordering by time in SQLite and Cosmos DB alike.
/// </summary>
public static class StoredTime
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
