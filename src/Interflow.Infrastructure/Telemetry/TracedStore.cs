using System.Diagnostics;
using System.Reflection;
using Interflow.Core.Telemetry;

namespace Interflow.Infrastructure.Telemetry;

/// <summary>
/// A store port with a client span around each call (<c>ICustomerStore.GetAsync</c>, with <c>db.system.name</c> and
/// <c>db.operation.name</c>): one decorator for every store, put in place only while telemetry is on, so that a run
/// without telemetry pays nothing for it. Spans carry the operation, never its arguments (they hold personal data).
/// </summary>
public class TracedStore : DispatchProxy
{
    private object target = null!;
    private string port = "";
    private string system = "";

    /// <summary><paramref name="target"/> behind <paramref name="port"/>, traced as calls to <paramref name="system"/> (sqlite, azure.cosmosdb).</summary>
    public static object Wrap(Type port, object target, string system)
    {
        var proxy = (TracedStore)Create(port, typeof(TracedStore));
        proxy.target = target;
        proxy.port = port.Name;
        proxy.system = system;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = targetMethod;
        var caller = Activity.Current;
        // A property (an outbox's Kind) is the adapter's own constant, not a store call.
        var activity = method.IsSpecialName ? null : InterflowTelemetry.Source.StartActivity($"{port}.{method.Name}", ActivityKind.Client);
        if (activity is null)
        {
            return Call(method, args);
        }
        activity.SetTag(InterflowTelemetry.Tags.DbSystem, system).SetTag(InterflowTelemetry.Tags.DbOperation, method.Name);
        object? result;
        try
        {
            result = Call(method, args);
        }
        catch (Exception exception)
        {
            End(activity, exception);
            throw;
        }
        finally
        {
            // The span is the call's, not the caller's: the caller's own next steps are not children of it.
            Activity.Current = caller;
        }
        if (result is Task task)
        {
            task.ContinueWith(static (done, state) => End((Activity)state!, done.Exception?.InnerException), activity, TaskScheduler.Default);
        }
        else
        {
            End(activity, null);
        }
        return result;
    }

    private object? Call(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }

    private static void End(Activity activity, Exception? exception)
    {
        // Not-found, conflicts and version mismatches are answers, not failures of the store.
        if (exception is not (null or Core.NotFoundException or Core.ConflictException or Core.DuplicateValueException or Core.VersionMismatchException))
        {
            activity.SetStatus(ActivityStatusCode.Error).SetTag(InterflowTelemetry.Tags.ErrorType, exception.GetType().FullName);
        }
        activity.Dispose();
    }
}
