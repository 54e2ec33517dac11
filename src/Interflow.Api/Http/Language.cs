using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Interflow.Api.Http;

/// <summary>Messages are Brazilian Portuguese, as in the seed, unless the caller prefers English.</summary>
public enum Language
{
    Portuguese,
    English,
}

public static class Languages
{
    public static Language FromRequest(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var ranges))
        {
            return Language.Portuguese;
        }
        foreach (var range in ranges.Where(r => r.Quality is null or > 0).OrderByDescending(r => r.Quality ?? 1))
        {
            var tag = range.Value.Value ?? "";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return Language.English;
            }
            if (tag.StartsWith("pt", StringComparison.OrdinalIgnoreCase))
            {
                return Language.Portuguese;
            }
        }
        return Language.Portuguese;
    }
}
