using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Infrastructure;

/// <summary>Puts a decorator (tracing, the benchmarks' counting) around every registration of some services, however each was registered.</summary>
public static class ServiceDecoration
{
    /// <param name="wrap">The service type and the instance registered for it, to the instance to use instead.</param>
    public static void Decorate(IServiceCollection services, IReadOnlyCollection<Type> types, Func<Type, object, object> wrap)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var registration = services[i];
            if (!registration.IsKeyedService && types.Contains(registration.ServiceType))
            {
                services[i] = ServiceDescriptor.Singleton(registration.ServiceType, sp => wrap(registration.ServiceType, Resolve(sp, registration)));
            }
        }
    }

    private static object Resolve(IServiceProvider services, ServiceDescriptor registration) =>
        registration.ImplementationInstance
        ?? registration.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, registration.ImplementationType!);
}
