using Interflow.Core.Channels;
using Interflow.Core.RateLimiting;

namespace Interflow.Core.Bulk;

/// <summary>
/// Holds bulk sends to a channel's messages-per-second across every instance and job: slots come from a
/// per-channel, per-second counter in the shared store, taken a block at a time (one counter write per block, not
/// per message), and a sender finding the current second full waits for the next.
/// </summary>
public sealed class ChannelPacer(IRateLimitStore counters, TimeProvider clock)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <returns>How many messages the caller may send now: at least one, at most <paramref name="wanted"/>.</returns>
    public async Task<int> TakeAsync(Channel channel, int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            var second = new DateTimeOffset(now.Ticks - now.Ticks % Second.Ticks, TimeSpan.Zero);
            var taken = await counters.IncrementAsync($"pace:{channel.Id}:{second.ToUnixTimeSeconds()}", wanted, second + Second + Second, cancellationToken);
            // Slots asked for beyond the rate are simply not used: the counter only has to tell later takers the second is full.
            var granted = (int)Math.Min(wanted, channel.MessagesPerSecond - (taken - wanted));
            if (granted > 0)
            {
                return granted;
            }
            await Task.Delay(second + Second - now, clock, cancellationToken);
        }
    }
}
