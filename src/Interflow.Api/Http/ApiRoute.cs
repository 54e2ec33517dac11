using Interflow.Core.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Interflow.Api.Http;

/// <summary>
/// Who may call a route: API-key callers of <c>/v1</c>, the operator (admin key / Functions key), a messaging
/// provider, whose requests the handler authenticates by their signature, a member signed in to the console (never
/// with an API key), or anyone (the API's own documentation, the console's page and its sign-in).
/// </summary>
public enum RouteAccess
{
    ApiKey,
    Admin,
    Provider,
    Console,
    Public,
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

    /// <summary>The OpenAPI tag: the feature the route belongs to.</summary>
    public string Tag { get; init; } = "";

    /// <summary>The resource a restricted key must be granted for a <c>/v1</c> route (<see cref="KeyRestrictions.ResourceNames"/>).</summary>
    public string? Resource { get; init; }

    /// <summary>What a restricted key needs to call the route: its resource, read for a GET and write otherwise.</summary>
    public KeyPermission? Permission => Resource is { } resource
        ? new KeyPermission(resource, Method == "GET" ? ResourceAccess.Read : ResourceAccess.Write)
        : null;

    /// <summary>The request body's shape, for routes that take one (the handler's reader is what validates it).</summary>
    public Type? Body { get; init; }

    /// <summary>A request body as the reference shows it.</summary>
    public string? RequestExample { get; init; }

    /// <summary>The success answers.</summary>
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];

    public IReadOnlyList<QueryParameter> Query { get; init; } = [];

    /// <summary>Error codes this route answers beyond those every route of its kind does (auth, rate limit, body, not found…).</summary>
    public IReadOnlyList<ErrorCode> Errors { get; init; } = [];

    /// <summary>In the public API document; provider and operator routes have a document of their own.</summary>
    public bool IsPublic => Access is RouteAccess.ApiKey or RouteAccess.Public;

    private readonly TemplateMatcher matcher = new(TemplateParser.Parse(Template), new RouteValueDictionary());

    public bool TryMatch(PathString path, out RouteValueDictionary values)
    {
        values = [];
        return matcher.TryMatch(path, values);
    }
}
