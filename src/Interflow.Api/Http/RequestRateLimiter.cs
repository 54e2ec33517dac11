using System.Collections.Concurrent;
using System.Globalization;
using Interflow.Core.Accounts;
using Interflow.Core.RateLimiting;
using Interflow.Core.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>
/// Fixed one-minute windows per account and environment, counted in the store so that every instance draws on one
/// budget. The counter's value is a request's position in its window: an instance leases a block of positions with
/// one counter write and hands them out in memory, one per request, and a request is admitted only when its
/// position is within the plan's limit. So the instances together never admit more than the limit. A block is a
/// sixteenth of what the instance last knew to be left (1 to 100 positions): it shrinks to one as the budget runs
/// low, and the only cost of leasing is that positions an instance leased and did not spend before the window ended
/// (at most its last block less one) are missed by the others. Once an instance knows the budget is spent it refuses
/// without writing. <c>X-RateLimit-Remaining</c> is the limit less the request's position: it never rises within a
/// window on one instance.
/// </summary>
public sealed class RequestRateLimiter(IRateLimitStore store, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The most positions one lease takes; a sixteenth of what is left, when that is fewer.</summary>
    public const int MaxBlock = 100;

    private const int BlockDivisor = 16;

    private readonly ConcurrentDictionary<string, Lease> leases = new(StringComparer.Ordinal);
    private long currentWindow;

    /// <summary>Counts the request, writes the <c>X-RateLimit-*</c> headers, and refuses it when over the plan's limit.</summary>
    public async Task CountAsync(HttpResponse response, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var windowStart = new DateTimeOffset(now.Ticks - now.Ticks % Window.Ticks, TimeSpan.Zero);
        var reset = windowStart + Window;
        var window = windowStart.ToUnixTimeSeconds();
        ForgetWindowsBefore(window);
        var counterId = $"{caller.Tenant.Key}:{window}";
        var limit = caller.Account.Plan.RequestsPerMinute();
        var lease = leases.GetOrAdd(counterId, _ => new Lease(window));
        var position = await lease.TakeAsync(limit, block => store.IncrementAsync(counterId, block, reset + Window, cancellationToken), cancellationToken);

        response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = Math.Max(0, limit - position).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (position > limit)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((reset - now).TotalSeconds));
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            InterflowTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>(InterflowTelemetry.Tags.Plan, caller.Account.Plan.ToName()));
            throw new ApiException(ErrorCode.RateLimitExceeded, ErrorText.RateLimitExceeded, retryAfter);
        }
    }

    /// <summary>A new window makes every lease of the windows before it worthless: they are dropped, once per window.</summary>
    private void ForgetWindowsBefore(long window)
    {
        var known = Interlocked.Read(ref currentWindow);
        if (window <= known || Interlocked.CompareExchange(ref currentWindow, window, known) != known)
        {
            return;
        }
        foreach (var (id, lease) in leases)
        {
            if (lease.Window < window)
            {
                leases.TryRemove(id, out _);
            }
        }
    }

    /// <summary>This instance's positions in one counter: <c>next</c> to <c>end</c>, leased, not yet handed out.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim needs disposing only once its AvailableWaitHandle was asked for, which it never is; a dropped lease may still be awaited.")]
    private sealed class Lease(long window)
    {
        private readonly SemaphoreSlim gate = new(1, 1);
        private long next = 1;
        private long end;
        private long known;

        public long Window { get; } = window;

        public async Task<long> TakeAsync(long limit, Func<long, Task<long>> increment, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (next <= end)
                {
                    return next++;
                }
                if (known >= limit)
                {
                    return known + 1;
                }
                var block = Math.Clamp((limit - known) / BlockDivisor, 1, MaxBlock);
                known = await increment(block);
                next = known - block + 1;
                end = known;
                return next++;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
