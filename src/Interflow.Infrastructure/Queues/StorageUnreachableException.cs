namespace Interflow.Infrastructure.Queues;

/// <summary>
/// The queue storage did not answer at start (Azurite not running, a wrong connection): one line that names where it
/// looked and why it failed, for a host to print instead of the client's aggregate of retries and stack traces.
/// </summary>
public sealed class StorageUnreachableException(Uri endpoint, Exception inner)
    : Exception($"cannot reach the queue storage at {endpoint} ({Reason(inner)})", inner)
{
    public Uri Endpoint { get; } = endpoint;

    private static string Reason(Exception exception) =>
        ((exception as AggregateException)?.InnerExceptions[0] ?? exception).GetBaseException().Message;
}
