using Interflow.Core.Channels;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Messages;

/// <summary>
/// Applies provider status reports (WhatsApp webhooks, the sandbox) to outbound messages, forward only, a batch at
/// a time: per channel one lookup of the reported messages, then each message's reports applied in their order and
/// saved in one write (a delivered and a read in one batch cost one write), their events relayed together.
/// </summary>
public sealed class ProviderStatusUpdates(
    IChannelStore channels, IMessageStore messages, OutboundDelivery delivery, MessageTransitions transitions, ILogger<ProviderStatusUpdates> logger)
{
    /// <returns>The reports whose message is not known (yet): a report can beat the write of the send it reports, so the caller looks again later.</returns>
    public async Task<IReadOnlyList<ProviderStatus>> ApplyAsync(IReadOnlyList<ProviderStatus> reports, CancellationToken cancellationToken)
    {
        var unknown = new List<ProviderStatus>();
        foreach (var byChannel in reports.GroupBy(r => r.ChannelId))
        {
            var channel = await channels.FindAsync(byChannel.Key, cancellationToken);
            if (channel is null)
            {
                continue;
            }
            var applicable = byChannel.Where(Applicable).ToArray();
            var found = (await messages.FindByProviderIdsAsync(
                    channel.Tenant, channel.Id, [.. applicable.Select(r => r.ProviderMessageId).Distinct()], cancellationToken))
                .GroupBy(m => m.ProviderMessageId!).ToDictionary(g => g.Key, g => g.First());
            var changes = new List<(Message, Func<Message, Message>)>();
            foreach (var forMessage in applicable.GroupBy(r => r.ProviderMessageId))
            {
                if (!found.TryGetValue(forMessage.Key, out var message))
                {
                    unknown.AddRange(forMessage);
                    continue;
                }
                // Providers report out of order; applied oldest first, the forward-only rules keep the newest state.
                var ordered = forMessage.OrderBy(r => r.At).ToArray();
                changes.Add((message, m => ordered.Aggregate(m, (current, report) =>
                    transitions.Apply(current, EnumNames.Parse<MessageStatus>(report.Status), report.At, Error(report)))));
            }
            await delivery.SaveManyAsync(changes, cancellationToken);
        }
        return unknown;
    }

    private bool Applicable(ProviderStatus report)
    {
        if (EnumNames.TryParse<MessageStatus>(report.Status, out var status) && status is not (MessageStatus.Queued or MessageStatus.Received))
        {
            return true;
        }
        logger.LogInformation("Ignoring provider status {Status}", report.Status);
        return false;
    }

    private static MessageError? Error(ProviderStatus report) =>
        report.ErrorCode is null ? null : new MessageError(report.ErrorCode, report.ErrorMessage ?? report.ErrorCode);
}
