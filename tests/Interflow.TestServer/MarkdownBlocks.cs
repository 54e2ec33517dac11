using System.Text.RegularExpressions;

namespace Interflow.TestServer;

/// <summary>The fenced code blocks of a Markdown page, as a reader copies them.</summary>
public static partial class MarkdownBlocks
{
    /// <summary>The blocks of a language, in order; under the first heading named <paramref name="heading"/> (to the next heading) when given.</summary>
    public static IReadOnlyList<string> Of(string markdown, string language, string? heading = null)
    {
        var text = markdown;
        if (heading is not null)
        {
            var sections = HeadingLine().Split(markdown);
            text = sections.FirstOrDefault(s => s.StartsWith(heading + "\n", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"no heading '{heading}'");
        }
        return [.. Fenced().Matches(text).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value)];
    }

    [GeneratedRegex(@"^#+ ", RegexOptions.Multiline)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^```(\w*)\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fenced();
}
