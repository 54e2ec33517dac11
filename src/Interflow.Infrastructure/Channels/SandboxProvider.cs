using Interflow.Core.Channels;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure.Channels;

public sealed class SandboxOptions
{
    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The sandbox: no network. It accepts every valid message and reports it delivered and read later, like a real
/// provider's webhooks; the reports come back with the answer, and the caller enqueues them (in batches). Test
/// numbers: ending in 0000 always fails, ending in 0001 stays sent.
/// </summary>
public sealed class SandboxProvider(SandboxOptions options, TimeProvider clock) : IMessageProvider
{
    public Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken)
    {
        if (message.Phone.EndsWith("0000", StringComparison.Ordinal))
        {
            return Task.FromResult<ProviderResult>(new ProviderResult.Rejected(new MessageError("SANDBOX_REJECTED", "Sandbox test number ending in 0000: the provider refuses it")));
        }
        var providerId = "sbx_" + message.Id;
        var now = clock.GetUtcNow();
        IReadOnlyList<ProviderStatus> reports = message.Phone.EndsWith("0001", StringComparison.Ordinal)
            ? []
            : [new(channel.Id, providerId, "delivered", now + options.DeliveredAfter), new(channel.Id, providerId, "read", now + options.ReadAfter)];
        return Task.FromResult<ProviderResult>(new ProviderResult.Accepted(providerId, reports));
    }
}
