using Interflow.Core.Channels;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Messages;

/// <summary>Applies provider status reports (WhatsApp webhooks, the sandbox) to outbound messages, forward only.</summary>
public sealed class ProviderStatusUpdates(
    IChannelStore channels, IMessageStore messages, OutboundDelivery delivery, MessageTransitions transitions, ILogger<ProviderStatusUpdates> logger)
{
    /// <returns>False when the message is not known (yet): the caller may retry later.</returns>
    public async Task<bool> ApplyAsync(ProviderStatus report, CancellationToken cancellationToken)
    {
        if (!EnumNames.TryParse<MessageStatus>(report.Status, out var status) || status is MessageStatus.Queued or MessageStatus.Received)
        {
            logger.LogInformation("Ignoring provider status {Status}", report.Status);
            return true;
        }
        var channel = await channels.FindAsync(report.ChannelId, cancellationToken);
        if (channel is null)
        {
            return true;
        }
        var message = await messages.FindByProviderIdAsync(channel.Tenant, channel.Id, report.ProviderMessageId, cancellationToken);
        if (message is null)
        {
            return false;
        }
        var error = report.ErrorCode is null ? null : new MessageError(report.ErrorCode, report.ErrorMessage ?? report.ErrorCode);
        await delivery.SaveAsync(message, m => transitions.Apply(m, status, report.At, error), cancellationToken);
        return true;
    }
}
