using System.Text.Json;
using Interflow.Api.Console;
using Interflow.Core.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Interflow.Api.Http;

/// <summary>What a handler gets once the pipeline has authenticated, limited and parsed the request.</summary>
public sealed class ApiRequest(HttpContext http, RouteValueDictionary routeValues, Tenant? tenant, RequestBody body, Language language)
{
    public HttpContext Http => http;

    public HttpRequest Request => http.Request;

    public Language Language => language;

    public CancellationToken Aborted => http.RequestAborted;

    /// <summary>The caller's account and environment; every <c>/v1</c> route has one.</summary>
    public Tenant Tenant => tenant ?? throw new InvalidOperationException("admin routes have no tenant");

    /// <summary>The parsed JSON body; the pipeline has already refused a missing or malformed one.</summary>
    public JsonElement Body => body.Json ?? throw new InvalidOperationException("this route takes no body");

    /// <summary>The body as received, for signatures computed over the exact bytes.</summary>
    public byte[] RawBody => body.Raw;

    public string RouteValue(string name) => routeValues[name]?.ToString() ?? "";

    /// <summary>The member signed in to the console, on console routes.</summary>
    public ConsoleCaller? Console { get; init; }

    public ConsoleCaller ConsoleCaller => Console ?? throw new InvalidOperationException("not a console route");

    public T Service<T>() where T : notnull => http.RequestServices.GetRequiredService<T>();
}
