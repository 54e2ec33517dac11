using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure.Channels;

/// <summary>Sandbox keys and sandbox channels use the sandbox; only production WhatsApp channels reach Meta.</summary>
public sealed class MessageProviders(SandboxProvider sandbox, WhatsAppCloudProvider whatsApp) : IMessageProviders
{
    public IMessageProvider For(Channel channel) =>
        channel.Tenant.Environment == ApiEnvironment.Test || channel.Kind == ChannelKind.Sandbox ? sandbox : whatsApp;
}
