namespace Interflow.Api.Http;

/// <summary>An error the pipeline answers in the envelope with its code's status.</summary>
public sealed class ApiException(ErrorCode code, ErrorText message, params object?[] args) : Exception(message.ToString())
{
    public ErrorCode Code { get; } = code;

    public ErrorText MessageId { get; } = message;

    public IReadOnlyList<object?> Args { get; } = args;

    /// <summary>The permission a restricted key lacked: answered in <c>details</c> as well, for clients to act on.</summary>
    public Interflow.Core.Accounts.KeyPermission? Permission { get; init; }
}
