using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>
/// A handler's success: status, <c>data</c>, <c>meta</c> for lists, and the resource's ETag. The pipeline wraps it
/// in the envelope, so no handler writes the envelope or any cross-cutting header itself.
/// </summary>
public sealed record ApiResult(int StatusCode, object? Data, PageMeta? Meta = null, string? ETag = null) : IResult
{
    public static ApiResult Ok(object data, string? etag = null) => new(StatusCodes.Status200OK, data, ETag: etag);

    public static ApiResult Created(object data, string? etag = null) => new(StatusCodes.Status201Created, data, ETag: etag);

    public static ApiResult List(object data, PageMeta meta) => new(StatusCodes.Status200OK, data, meta);

    public byte[] Body() => JsonSerializer.SerializeToUtf8Bytes(new SuccessEnvelope(true, Data, Meta), ApiJson.Options);

    public Task ExecuteAsync(HttpContext httpContext) =>
        new JsonBytesResult(StatusCode, Body(), ETag).ExecuteAsync(httpContext);
}

/// <summary>Writes an already serialized JSON body; used for fresh and replayed responses alike.</summary>
public sealed class JsonBytesResult(int statusCode, byte[] body, string? etag = null) : IResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        if (etag is not null)
        {
            response.Headers.ETag = EntityTags.Format(etag);
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
