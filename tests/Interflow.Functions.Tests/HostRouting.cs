using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Functions.Tests;

/// <summary>
/// The Functions host's HTTP routing, applied to the app's real <c>functions.metadata</c> without a host: each HTTP
/// function becomes an ASP.NET Core <see cref="Route"/> with an <c>httpMethod</c> constraint, registered in the order of
/// the functions' names (ordinal, ignoring case, as the host's FunctionMetadataNameComparer sorts them), and a request
/// goes to the first route whose template and constraints match (WebJobsRouter). No precedence applies.
/// </summary>
public sealed class HostRouting
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddRouting().AddLogging().BuildServiceProvider();

    private readonly IReadOnlyList<(string Name, Route Route)> routes;

    public HostRouting(IEnumerable<FunctionEntry> functions, string routePrefix)
    {
        var resolver = Services.GetRequiredService<IInlineConstraintResolver>();
        var handler = new RouteHandler(_ => Task.CompletedTask);
        routes =
        [
            .. functions.Where(f => f.IsHttp).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Select(f =>
            {
                var constraints = new Dictionary<string, object>();
                if (f.Trigger.Methods.Count > 0)
                {
                    constraints["httpMethod"] = new HttpMethodRouteConstraint([.. f.Trigger.Methods]);
                }
                var template = string.IsNullOrEmpty(routePrefix) ? f.Trigger.Route ?? f.Name : $"{routePrefix}/{f.Trigger.Route ?? f.Name}";
                return (f.Name, new Route(handler, f.Name, template, null, constraints, null, resolver));
            }),
        ];
    }

    /// <summary>The app as built, with its host.json's route prefix ("api" when it sets none).</summary>
    public static HostRouting OfAppBuild()
    {
        var http = AppBuild.Read("host.json").GetProperty("extensions").TryGetProperty("http", out var section) ? section : default;
        var prefix = http.ValueKind == System.Text.Json.JsonValueKind.Object && http.TryGetProperty("routePrefix", out var value) ? value.GetString()! : "api";
        return new HostRouting(AppBuild.Functions, prefix);
    }

    /// <summary>Every function whose route would take the request, in the host's order: the first is the one it runs.</summary>
    public IReadOnlyList<string> Matches(string method, string path)
    {
        var found = new List<string>();
        foreach (var (name, route) in routes)
        {
            var http = new DefaultHttpContext { RequestServices = Services };
            http.Request.Method = method;
            http.Request.Path = new PathString(path);
            var context = new RouteContext(http);
            route.RouteAsync(context).GetAwaiter().GetResult();
            if (context.Handler is not null)
            {
                found.Add(name);
            }
        }
        return found;
    }
}
