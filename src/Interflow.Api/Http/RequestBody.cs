using System.Buffers;
using System.Text;
using System.Text.Json;
using Interflow.Api.Validation;
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
        // A UTF-8 byte order mark is tolerated (some clients write one); JSON itself never starts with it.
        var json = raw.AsMemory(raw.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0);
        if (FirstInvalidUtf8(json.Span) is { } offset)
        {
            // System.Text.Json parses such a body and only fails when a handler reads the string: refuse it here.
            var before = json.Span[..offset];
            var line = before.Count((byte)'\n') + 1;
            var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
            throw new ApiException(ErrorCode.InvalidJson, ErrorText.InvalidUtf8, offset, line, column);
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new ApiException(
                ErrorCode.InvalidJson, ErrorText.InvalidJson, (exception.LineNumber ?? 0) + 1, (exception.BytePositionInLine ?? 0) + 1);
        }
        TextRules.Check(root, refuseControlCharacters: route.Access != RouteAccess.Provider);
        return new RequestBody(raw, root);
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <returns>The offset of the first byte that is not part of a valid UTF-8 sequence, or null.</returns>
    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }
        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }
        return offset;
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
