using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Interflow.Api.Http;

/// <summary>The raw bytes (for idempotency fingerprints) and the parsed JSON of a request body.</summary>
public sealed record RequestBody(byte[] Raw, JsonElement? Json)
{
    public const int MaxBytes = 1024 * 1024;
    private static readonly RequestBody None = new([], null);

    /// <summary>Enforces the 1 MiB limit (413), JSON media type (415) and well-formed JSON (400).</summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, ApiRoute route, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            return None;
        }
        if (request.ContentLength > MaxBytes)
        {
            throw new ApiException(ErrorCode.PayloadTooLarge, ErrorText.PayloadTooLarge);
        }
        var raw = await ReadLimitedAsync(request.Body, cancellationToken);
        if (raw.Length == 0)
        {
            return route.AcceptsEmptyBody ? None : throw new ApiException(ErrorCode.InvalidJson, ErrorText.BodyRequired);
        }
        if (!IsJson(request.ContentType))
        {
            throw new ApiException(ErrorCode.UnsupportedMediaType, ErrorText.UnsupportedMediaType);
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            return new RequestBody(raw, document.RootElement.Clone());
        }
        catch (JsonException exception)
        {
            throw new ApiException(
                ErrorCode.InvalidJson, ErrorText.InvalidJson, (exception.LineNumber ?? 0) + 1, (exception.BytePositionInLine ?? 0) + 1);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static async Task<byte[]> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ApiException(ErrorCode.PayloadTooLarge, ErrorText.PayloadTooLarge);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
