using System.Reflection;
using System.Runtime.ExceptionServices;
using Interflow.Api.Composition;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Idempotency;
using Interflow.Core.Messages;
using Interflow.Core.RateLimiting;
using Interflow.Core.Webhooks;
using Interflow.Infrastructure;
using Interflow.Infrastructure.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Benchmarks;

/// <summary>Store reads, store writes and queue messages, counted over some span of a run, and the calls by port and method.</summary>
public sealed record WorkCounts(long Reads, long Writes, long Enqueues, IReadOnlyDictionary<string, long> Calls)
{
    public static WorkCounts operator -(WorkCounts a, WorkCounts b) => new(a.Reads - b.Reads, a.Writes - b.Writes, a.Enqueues - b.Enqueues,
        a.Calls.ToDictionary(c => c.Key, c => c.Value - b.Calls.GetValueOrDefault(c.Key)));
}

/// <summary>
/// Counts what a server asks of its store and queues, by wrapping every store and queue port in a counting
/// decorator: a call whose name reads (Get, Find, List, Count, Read) is a read, an Enqueue a queue message, anything
/// else a write. Caches sit in front of the counting: an API key or channel found in the cache costs nothing here.
/// </summary>
public sealed class StoreWork
{
    private static readonly Type[] Queues = [typeof(IOutboundQueue), typeof(IProviderStatusQueue), typeof(IWebhookQueue), typeof(IBulkQueue)];
    private static readonly string[] ReadPrefixes = ["Get", "Find", "List", "Count", "Read", "TryGet"];

    private long reads;
    private long writes;
    private long enqueues;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> calls = new();

    public WorkCounts Now => new(Interlocked.Read(ref reads), Interlocked.Read(ref writes), Interlocked.Read(ref enqueues), new Dictionary<string, long>(calls));

    /// <summary>Wraps every store and queue registration of a server built on the embedded store.</summary>
    public void Wrap(IServiceCollection services)
    {
        ServiceDecoration.Decorate(services, [.. InterflowComposition.StorePorts, .. Queues], Counted);
        // The channel cache stays in front: only what it misses reaches the store.
        services.AddSingleton<IChannelStore>(sp => ActivatorUtilities.CreateInstance<ChannelReadCache>(sp,
            (IChannelStore)Counted(typeof(IChannelStore), sp.GetRequiredService<SqliteChannelStore>())));
    }

    private object Counted(Type port, object inner)
    {
        var proxy = typeof(DispatchProxy).GetMethod(nameof(DispatchProxy.Create), 2, [])!.MakeGenericMethod(port, typeof(CountingProxy)).Invoke(null, null)!;
        ((CountingProxy)proxy).Attach(inner, Count);
        return proxy;
    }

    private void Count(MethodInfo method)
    {
        calls.AddOrUpdate($"{method.DeclaringType!.Name}.{method.Name.Replace("Async", "", StringComparison.Ordinal)}", 1, (_, n) => n + 1);
        if (method.Name.StartsWith("Enqueue", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref enqueues);
        }
        else if (ReadPrefixes.Any(prefix => method.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref reads);
        }
        else
        {
            Interlocked.Increment(ref writes);
        }
    }

    /// <summary>Forwards every call to the port it wraps, counting it first.</summary>
    public class CountingProxy : DispatchProxy
    {
        private object inner = null!;
        private Action<MethodInfo> count = null!;

        internal void Attach(object target, Action<MethodInfo> counter) => (inner, count) = (target, counter);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            // A property (an outbox's Kind) is the adapter's own constant, not a store call.
            if (!targetMethod!.IsSpecialName)
            {
                count(targetMethod);
            }
            try
            {
                return targetMethod.Invoke(inner, args);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(exception.InnerException);
                throw;
            }
        }
    }
}
