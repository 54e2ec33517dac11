using System.Net;

namespace Interflow.Client;

/// <summary>One invalid field of a request, by its JSON path (<c>content.text</c>, <c>tags[3]</c>).</summary>
public sealed record ErrorDetail(string Field, string Message);

/// <summary>
/// An error answer of the API: its status, its code (<c>VALIDATION_ERROR</c>, <c>NOT_FOUND</c>, …), the message
/// and every invalid field. An answer outside the envelope (a proxy's page) has the code <c>UNEXPECTED_RESPONSE</c>.
/// </summary>
public sealed class InterflowApiException : Exception
{
    public const string UnexpectedResponse = "UNEXPECTED_RESPONSE";

    public InterflowApiException(HttpStatusCode status, string code, string message, IReadOnlyList<ErrorDetail>? details = null, string? requestId = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Details = details ?? [];
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode Status { get; }

    public string Code { get; }

    public IReadOnlyList<ErrorDetail> Details { get; }

    /// <summary>The X-Request-Id of the answer, to quote to support.</summary>
    public string? RequestId { get; }

    /// <summary>How long the API asked to wait (429, 503, a request still in progress).</summary>
    public TimeSpan? RetryAfter { get; }

    public override string ToString() =>
        $"{(int)Status} {Code}: {Message}{string.Concat(Details.Select(d => $"; {d.Field}: {d.Message}"))}{(RequestId is null ? "" : $" (request {RequestId})")}";
}
