using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>
/// HTTP ETags: a hash of the resource as the API shows it, so that a tag changes exactly when the representation
/// does (store-internal writes, like relaying a record's events, leave it alone).
/// </summary>
public static class EntityTags
{
    public static string For(object view) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(view, ApiJson.Options)))[..32];

    public static string Format(string tag) => $"\"{tag}\"";

    /// <summary>
    /// The version an <c>If-Match</c> header asks for: null when absent or <c>*</c> (any current version will do).
    /// A weak tag is compared by its value; a list of tags is not supported and never matches.
    /// </summary>
    public static string? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }
        if (header.StartsWith("W/", StringComparison.Ordinal))
        {
            header = header[2..];
        }
        return header.Trim('"');
    }
}
