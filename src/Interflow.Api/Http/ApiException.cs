namespace Interflow.Api.Http;

/// <summary>An error the pipeline answers in the envelope with its code's status.</summary>
public sealed class ApiException(ErrorCode code, ErrorText message, params object?[] args) : Exception(message.ToString())
{
    public ErrorCode Code { get; } = code;

    public ErrorText MessageId { get; } = message;

    public IReadOnlyList<object?> Args { get; } = args;

    /// <summary>Answered in the envelope's <c>details</c>, for clients to act on (the permission a restricted key lacked).</summary>
    public IReadOnlyList<ErrorDetail>? Details { get; init; }
}
