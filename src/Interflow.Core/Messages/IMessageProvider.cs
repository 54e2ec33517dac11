using Interflow.Core.Channels;

namespace Interflow.Core.Messages;

/// <summary>What a provider said to one send.</summary>
public abstract record ProviderResult
{
    private ProviderResult()
    {
    }

    /// <param name="Reports">Status reports a simulated provider (the sandbox) makes instead of calling our webhook:
    /// the caller enqueues them, each to be applied once its time has come.</param>
    public sealed record Accepted(string ProviderMessageId, IReadOnlyList<ProviderStatus>? Reports = null) : ProviderResult;

    /// <summary>Unreachable, throttled or failing on its side: the same send may succeed later.</summary>
    public sealed record Retryable(MessageError Error) : ProviderResult;

    /// <summary>Refused for good (bad number, template, window, credentials): retrying cannot help.</summary>
    public sealed record Rejected(MessageError Error) : ProviderResult;
}

/// <summary>A messaging provider: sends one message, never throws for provider or network failures.</summary>
public interface IMessageProvider
{
    Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken);
}

/// <summary>Picks the provider of a channel; sandbox data never reaches a real provider.</summary>
public interface IMessageProviders
{
    IMessageProvider For(Channel channel);
}
