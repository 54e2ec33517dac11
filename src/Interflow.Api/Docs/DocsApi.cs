using Interflow.Api.Http;
using Interflow.Api.OpenApi;

namespace Interflow.Api.Docs;

/// <summary>The API's own documentation, open to anyone: the OpenAPI document and a page that renders it.</summary>
public static class DocsApi
{
    public const string OpenApiRoute = "v1/openapi.json";
    public const string PageRoute = "docs";
    private const string Tag = "Documentation";

    /// <summary>The page with the document inlined (a closing script tag inside a string must not end the script).</summary>
    private static readonly Lazy<string> PageHtml = new(() =>
    {
        using var stream = typeof(DocsApi).Assembly.GetManifestResourceStream("Interflow.Api.Docs.docs.html")
            ?? throw new InvalidOperationException("the docs page is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("/*OPENAPI*/", OpenApiDocuments.Public.Replace("</", "<\\/", StringComparison.Ordinal), StringComparison.Ordinal);
    });

    public static readonly ApiRoute OpenApi = new("GET", OpenApiRoute, "GetOpenApiDocument", "This API's OpenAPI 3.1 document", RouteAccess.Public,
        _ => Task.FromResult(ApiResult.Raw(OpenApiDocuments.Public, "application/json; charset=utf-8")))
    {
        Tag = Tag,
        Responses = [ApiResponse.Raw("application/json", "The OpenAPI document (not the envelope)")],
    };

    public static readonly ApiRoute Page = new("GET", PageRoute, "GetDocsPage", "This API's reference, as a web page", RouteAccess.Public,
        _ => Task.FromResult(ApiResult.Raw(PageHtml.Value, "text/html; charset=utf-8")))
    {
        Tag = Tag,
        Responses = [ApiResponse.Raw("text/html", "The reference page: the OpenAPI document rendered, no request leaving the app")],
    };

    public static IReadOnlyList<ApiRoute> Routes { get; } = [OpenApi, Page];
}
