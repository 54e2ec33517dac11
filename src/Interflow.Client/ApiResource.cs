using System.Net;
using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <summary>
/// A result of the API, with what came back besides its fields: the version for <c>ifMatch</c>, and the answer itself.
/// Neither is one of the schema's fields, nor part of equality; both are null on the items of a list (the page carries
/// the answer).
/// </summary>
public abstract record ApiResource
{
    /// <summary>The version a read or write returned, for <c>ifMatch</c> on the next update.</summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    /// <summary>The answer that carried this result (Stripe's <c>lastResponse</c>).</summary>
    [JsonIgnore]
    public ResponseInfo? LastResponse { get; init; }

    // Equal results are the same data, whichever answer carried them: a listed item has no ETag, and the ETag of a
    // read follows from its data.
    public virtual bool Equals(ApiResource? other) => other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();
}

/// <summary>What the API answered besides the data.</summary>
/// <param name="RequestId">The request's <c>X-Request-Id</c>: quote it to support.</param>
/// <param name="StatusCode">201 for a new chat, 200 for the open one it found; 201 or 202 for a send; ….</param>
/// <param name="RateLimit">Where the account's rate limit stands after this request.</param>
/// <param name="IdempotentReplayed">The stored answer to an earlier request with the same Idempotency-Key: nothing was done again.</param>
public sealed record ResponseInfo(string? RequestId, HttpStatusCode StatusCode, RateLimitInfo? RateLimit, bool IdempotentReplayed);

/// <param name="Limit">Requests per minute of the account's plan.</param>
/// <param name="Remaining">Left in the current window.</param>
/// <param name="Reset">When the window resets.</param>
public sealed record RateLimitInfo(int Limit, int Remaining, DateTimeOffset Reset);
