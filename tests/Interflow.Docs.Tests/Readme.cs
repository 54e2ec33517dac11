namespace Interflow.Docs.Tests;

/// <summary>The README's code blocks, as a newcomer copies them.</summary>
public static class Readme
{
    /// <summary>The first <c>bash</c> block under the heading named <paramref name="heading"/>.</summary>
    public static string Block(string heading) =>
        MarkdownBlocks.Of(Repository.Read("README.md"), "bash", heading) is [var first, ..]
            ? first
            : throw new Xunit.Sdk.XunitException($"README.md's '{heading}' has no bash block");
}
