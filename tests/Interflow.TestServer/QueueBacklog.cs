using Interflow.Infrastructure.Queues;

namespace Interflow.TestServer;

/// <summary>Whether the app's queues hold no more than a run expects to stay there: its work is done.</summary>
public static class QueueBacklog
{
    /// <summary>Nothing left to do but the dead endpoints' probes (one a step each, and a claim's safety net).</summary>
    public static Func<string, long> DeadEndpointProbes(int dead) => name => name == QueueNames.WebhookProbes ? 2 * dead : 0;

    /// <param name="allowed">Per queue, how many messages may stay (the dead endpoints' probes, the sends' safety checks).</param>
    public static async Task<bool> WithinAsync(StorageQueues queues, Func<string, long> allowed)
    {
        foreach (var name in QueueNames.All)
        {
            try
            {
                // The approximate count includes invisible (delayed, in-flight) messages: empty means nothing left to do.
                if ((await queues.Queue(name).GetPropertiesAsync()).Value.ApproximateMessagesCount > allowed(name))
                {
                    return false;
                }
            }
            catch (Azure.RequestFailedException)
            {
                return false; // An emulator too busy to answer in time has work left.
            }
            catch (AggregateException)
            {
                return false;
            }
        }
        return true;
    }
}
