using Interflow.Core.Events;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Queues;

/// <summary>Every minute, relays the events a crashed process left in its records' outboxes.</summary>
public sealed class EventRelaySweep(EventRelay relay)
{
    [Function("EventRelaySweep")]
    public Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.SweepAsync(cancellationToken);
}
