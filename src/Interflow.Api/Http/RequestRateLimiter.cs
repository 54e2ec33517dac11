using System.Globalization;
using Interflow.Core.Accounts;
using Interflow.Core.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>
/// Fixed one-minute windows per account and environment, counted in the store so that every instance draws on one
/// budget. Costs one store write per request.
/// </summary>
public sealed class RequestRateLimiter(IRateLimitStore store, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Counts the request, writes the <c>X-RateLimit-*</c> headers, and refuses it when over the plan's limit.</summary>
    public async Task CountAsync(HttpResponse response, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var windowStart = new DateTimeOffset(now.Ticks - now.Ticks % Window.Ticks, TimeSpan.Zero);
        var reset = windowStart + Window;
        var counterId = $"{caller.Tenant.Key}:{windowStart.ToUnixTimeSeconds()}";
        var count = await store.IncrementAsync(counterId, 1, reset + Window, cancellationToken);
        var limit = caller.Account.Plan.RequestsPerMinute();

        response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = Math.Max(0, limit - count).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (count > limit)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((reset - now).TotalSeconds));
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            throw new ApiException(ErrorCode.RateLimitExceeded, ErrorText.RateLimitExceeded, retryAfter);
        }
    }
}
