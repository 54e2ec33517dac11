namespace Interflow.TestServer;

/// <summary>Recipients for sustained bulk runs: distinct real numbers per job and recipient, new customers every job.</summary>
public static class BulkNumbers
{
    /// <summary>None is a sandbox test number (ending 0000 fails, 0001 is never delivered).</summary>
    public static string Of(int job, int i) => $"55{11 + job}9{7 + i / 10_000 % 3}{i % 10_000:D4}2{i % 100:D2}";
}
