using System.Text.Json;
using Interflow.Core.Paging;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>
/// A handler's success: status, <c>data</c>, <c>meta</c> for lists, and the resource's ETag. The pipeline wraps it
/// in the envelope, so no handler writes the envelope or any cross-cutting header itself.
/// </summary>
public sealed record ApiResult(int StatusCode, object? Data, object? Meta = null, string? ETag = null) : IResult
{
    /// <summary>A body that is not the envelope: where a provider's protocol demands it (a webhook challenge), and the API's own documentation.</summary>
    public string? PlainText { get; init; }

    public string PlainContentType { get; init; } = "text/plain; charset=utf-8";

    public static ApiResult Text(string text) => new(StatusCodes.Status200OK, null) { PlainText = text };

    public static ApiResult Raw(string text, string contentType) => new(StatusCodes.Status200OK, null) { PlainText = text, PlainContentType = contentType };

    public static ApiResult Ok(object data) => new(StatusCodes.Status200OK, data);

    /// <summary>A 303 to <paramref name="location"/> (a page after a sign-in): the browser follows it with a GET.</summary>
    public static ApiResult SeeOther(HttpResponse response, string location)
    {
        response.Headers.Location = location;
        return new(StatusCodes.Status303SeeOther, null) { PlainText = "" };
    }

    public static ApiResult Created(object data) => new(StatusCodes.Status201Created, data);

    /// <summary>A single resource, answered with its ETag.</summary>
    public static ApiResult Resource(object view, int statusCode = StatusCodes.Status200OK) => new(statusCode, view, ETag: EntityTags.For(view));

    /// <summary>A list answered whole, as one page.</summary>
    public static ApiResult List(IReadOnlyCollection<object> data) => new(StatusCodes.Status200OK, data, new PageMeta(1, data.Count, data.Count));

    /// <summary>A page of a list: by number (page, per_page, total), or of a walk by cursor (per_page, next_cursor).</summary>
    public static ApiResult List<T>(object data, PageRequest page, Page<T> result) => new(StatusCodes.Status200OK, data, page.ByCursor
        ? new CursorMeta(page.PerPage, result.Next is { } next ? ListCursor.Encode(next) : null)
        : new PageMeta(page.Page, page.PerPage, result.Total ?? 0));

    public byte[] Body() => PlainText is not null
        ? System.Text.Encoding.UTF8.GetBytes(PlainText)
        : JsonSerializer.SerializeToUtf8Bytes(new SuccessEnvelope(true, Data, Meta), ApiJson.Options);

    public string ContentType => PlainText is not null ? PlainContentType : JsonBytesResult.ContentType;

    public Task ExecuteAsync(HttpContext httpContext) =>
        new JsonBytesResult(StatusCode, Body(), ETag, ContentType).ExecuteAsync(httpContext);
}

/// <summary>Writes an already serialized JSON body; used for fresh and replayed responses alike.</summary>
public sealed class JsonBytesResult(int statusCode, byte[] body, string? etag = null, string contentType = JsonBytesResult.ContentType) : IResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        if (etag is not null)
        {
            response.Headers.ETag = EntityTags.Format(etag);
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
