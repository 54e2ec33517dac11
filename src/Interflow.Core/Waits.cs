using System.Globalization;

namespace Interflow.Core;

/// <summary>
/// A schedule of waits written as one setting, comma-separated (<c>00:00:05,00:05:00</c>): a string, because
/// configuration binding appends to a default array instead of replacing it.
/// </summary>
public static class Waits
{
    public static IReadOnlyList<TimeSpan> Parse(string schedule) =>
        schedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => TimeSpan.Parse(d, CultureInfo.InvariantCulture)).ToArray();
}
