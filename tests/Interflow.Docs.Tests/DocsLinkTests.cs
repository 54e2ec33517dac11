using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Interflow.Docs.Tests;

/// <summary>Every relative link between the Markdown pages of the repository reaches a file, and every anchor a heading of it.</summary>
public sealed partial class DocsLinkTests
{
    public static TheoryData<string> Pages => new(MarkdownFiles());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_and_anchor_resolves(string page)
    {
        var broken = Broken(page, Repository.Read(page)).ToList();

        Assert.True(broken.Count == 0, $"{page}: " + string.Join("; ", broken));
    }

    [Fact]
    public void A_missing_page_and_a_missing_anchor_are_found()
    {
        const string page = "docs/api.md";
        var text = "[a](operations.md#no-such-heading) [b](nowhere.md) [c](#keys-and-environments) [d](#nope) [e](https://example.com/x#y)";

        Assert.Equal(["operations.md#no-such-heading: no such heading", "nowhere.md: no such file", "#nope: no such heading"], Broken(page, text));
    }

    [Theory]
    [InlineData("SDKs and the C# client", "sdks-and-the-c-client")]
    [InlineData("Channels, messages and chats", "channels-messages-and-chats")]
    [InlineData("`Interflow__Store` and ports (7071)", "interflow__store-and-ports-7071")]
    public void Anchors_are_github_heading_slugs(string heading, string slug) => Assert.Equal(slug, Slug(heading));

    private static IEnumerable<string> Broken(string page, string text)
    {
        var directory = Path.GetDirectoryName(page) ?? "";
        foreach (Match link in Link().Matches(Prose(text)))
        {
            var target = link.Groups[1].Value;
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" or "mailto")
            {
                continue;
            }
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = file.Length == 0 ? page : Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Root, directory, file)));
            if (!File.Exists(Repository.Path(resolved)) && !Directory.Exists(Repository.Path(resolved)))
            {
                yield return $"{target}: no such file";
            }
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal)
                     && !Anchors(Repository.Read(resolved)).Contains(anchor))
            {
                yield return $"{target}: no such heading";
            }
        }
    }

    /// <summary>The anchors GitHub gives a page's headings, a repeated heading's with -1, -2….</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedCode().Replace(markdown, "")))
        {
            var slug = Slug(heading.Groups[1].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = $"{slug}-{n}";
            }
        }
        return anchors;
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped (but - and _), spaces to hyphens.</summary>
    private static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (var c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }
        return slug.ToString();
    }

    /// <summary>The page without its code: fenced blocks and inline code hold lines that look like headings and links.</summary>
    private static string Prose(string markdown) => InlineCode().Replace(FencedCode().Replace(markdown, ""), "");

    private static IEnumerable<string> MarkdownFiles()
    {
        var start = new ProcessStartInfo("git") { ArgumentList = { "-C", Repository.Root, "ls-files", "--cached", "--others", "--exclude-standard", "*.md" }, RedirectStandardOutput = true };
        using var git = Process.Start(start)!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        return files.Where(f => File.Exists(Repository.Path(f)));
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} +(.+?) *#*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();
}
