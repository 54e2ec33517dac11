using System.Collections.Concurrent;
using System.Text;

namespace Interflow.TestServer;

/// <summary>
/// Every response a test server gives, checked against the OpenAPI documents (<see cref="OpenApiContract"/>): its
/// status and content type are declared for its route, the headers marked required are there, and a JSON body
/// matches its schema. What it finds is kept for the whole test process, so that one check at the end of an HTTP
/// suite fails on any response of any test (<c>ResponseContractTests</c>).
/// </summary>
public static class ResponseContract
{
    /// <summary>The name under which responses no route took (404, 405) are counted.</summary>
    public const string Unmatched = "(no route)";

    private const int MaxKept = 200;

    private static readonly ConcurrentQueue<string> Found = new();
    private static readonly ConcurrentDictionary<(string Operation, int Status), int> Counts = new();

    /// <summary>What did not keep to the documents (the first <see cref="MaxKept"/>).</summary>
    public static IReadOnlyCollection<string> Violations => Found;

    /// <summary>How many responses each operation gave, by status.</summary>
    public static IReadOnlyDictionary<(string Operation, int Status), int> Answered => Counts;

    public static void Check(string? operation, string request, int status, string? contentType, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Counts.AddOrUpdate((operation ?? Unmatched, status), 1, (_, count) => count + 1);
        if (OpenApiContract.ResponseProblem(operation, status, contentType, headers, body) is { } problem && Found.Count < MaxKept)
        {
            var text = Encoding.UTF8.GetString(body);
            Found.Enqueue($"{request} → {status} ({operation ?? Unmatched}): {problem}; body: {(text.Length > 300 ? text[..300] + "…" : text)}");
        }
    }
}
