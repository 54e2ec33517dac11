using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Interflow.Api.Http;

/// <summary>
/// Who may call a route: API-key callers of <c>/v1</c>, the operator (admin key / Functions key), or a messaging
/// provider, whose requests the handler authenticates by their signature.
/// </summary>
public enum RouteAccess
{
    ApiKey,
    Admin,
    Provider,
}

public delegate Task<ApiResult> ApiHandler(ApiRequest request);

/// <summary>
/// One endpoint, declared once: the Functions app, the test server and the docs all read it from
/// <see cref="ApiRouteTable"/>.
/// </summary>
/// <param name="Template">Route template as a Functions <c>Route</c> (no leading slash; host.json prefix is empty).</param>
public sealed record ApiRoute(string Method, string Template, string Name, string Summary, RouteAccess Access, ApiHandler Handler)
{
    /// <summary>A POST that may come without a body (an action such as cancel).</summary>
    public bool AcceptsEmptyBody { get; init; }

    private readonly TemplateMatcher matcher = new(TemplateParser.Parse(Template), new RouteValueDictionary());

    public bool TryMatch(PathString path, out RouteValueDictionary values)
    {
        values = [];
        return matcher.TryMatch(path, values);
    }
}
