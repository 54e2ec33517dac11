namespace Interflow.Core.Accounts;

public enum Plan
{
    Starter,
    Professional,
    Enterprise,
}

public static class Plans
{
    public static int RequestsPerMinute(this Plan plan) => plan switch
    {
        Plan.Starter => 60,
        Plan.Professional => 300,
        Plan.Enterprise => 1000,
        _ => throw new ArgumentOutOfRangeException(nameof(plan)),
    };

    public static string ToName(this Plan plan) => plan.ToString().ToLowerInvariant();

    public static Plan Parse(string value) =>
        TryParse(value, out var plan) ? plan : throw new FormatException($"unknown plan '{value}'");

    public static bool TryParse(string? value, out Plan plan)
    {
        foreach (var candidate in Enum.GetValues<Plan>())
        {
            if (candidate.ToName() == value)
            {
                plan = candidate;
                return true;
            }
        }
        plan = default;
        return false;
    }
}
