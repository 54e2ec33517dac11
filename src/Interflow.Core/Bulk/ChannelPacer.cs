using Interflow.Core.Channels;
using Interflow.Core.RateLimiting;

namespace Interflow.Core.Bulk;

/// <summary>
/// Holds bulk sends to a channel's messages-per-second across every instance and job: each message takes a slot
/// from a per-channel, per-second counter in the shared store, and waits for the next second when the current one
/// is full.
/// </summary>
public sealed class ChannelPacer(IRateLimitStore counters, TimeProvider clock)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public async Task WaitForSlotAsync(Channel channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            var second = new DateTimeOffset(now.Ticks - now.Ticks % Second.Ticks, TimeSpan.Zero);
            var taken = await counters.IncrementAsync($"pace:{channel.Id}:{second.ToUnixTimeSeconds()}", second + Second + Second, cancellationToken);
            if (taken <= channel.MessagesPerSecond)
            {
                return;
            }
            await Task.Delay(second + Second - now, clock, cancellationToken);
        }
    }
}
