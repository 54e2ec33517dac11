using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>HTTP ETag / If-Match text for a store version.</summary>
public static class EntityTags
{
    public static string Format(string version) => $"\"{version}\"";

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
