using System.Collections.Concurrent;
using Interflow.Core.Channels;
using Interflow.Core.Messages;

namespace Interflow.Api.Tests.Bulk;

/// <summary>The real providers, with every call and its time recorded: what reached the provider, and when.</summary>
public sealed class CountingProviders(IMessageProviders inner) : IMessageProviders
{
    public ConcurrentQueue<(string To, DateTimeOffset At)> Calls { get; } = new();

    public IMessageProvider For(Channel channel) => new Counting(inner.For(channel), Calls);

    private sealed class Counting(IMessageProvider provider, ConcurrentQueue<(string, DateTimeOffset)> calls) : IMessageProvider
    {
        public Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken)
        {
            calls.Enqueue((message.Phone, DateTimeOffset.UtcNow));
            return provider.SendAsync(channel, message, cancellationToken);
        }
    }
}
