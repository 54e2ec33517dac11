using Interflow.Core.Channels;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure.Channels;

public sealed class SandboxOptions
{
    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The sandbox: no network. It accepts every valid message and then reports it delivered and read through the
/// provider-status queue, like a real provider's webhooks. Test numbers: ending in 0000 always fails, ending in
/// 0001 stays sent.
/// </summary>
public sealed class SandboxProvider(IProviderStatusQueue statuses, SandboxOptions options, TimeProvider clock) : IMessageProvider
{
    public async Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken)
    {
        if (message.Phone.EndsWith("0000", StringComparison.Ordinal))
        {
            return new ProviderResult.Rejected(new MessageError("SANDBOX_REJECTED", "Sandbox test number ending in 0000: the provider refuses it"));
        }
        var providerId = "sbx_" + message.Id;
        if (!message.Phone.EndsWith("0001", StringComparison.Ordinal))
        {
            var now = clock.GetUtcNow();
            await statuses.EnqueueAsync(new ProviderStatus(channel.Id, providerId, "delivered", now + options.DeliveredAfter), options.DeliveredAfter, cancellationToken);
            await statuses.EnqueueAsync(new ProviderStatus(channel.Id, providerId, "read", now + options.ReadAfter), options.ReadAfter, cancellationToken);
        }
        return new ProviderResult.Accepted(providerId);
    }
}
