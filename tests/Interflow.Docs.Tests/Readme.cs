using System.Text.RegularExpressions;

namespace Interflow.Docs.Tests;

/// <summary>The README's code blocks, as a newcomer copies them.</summary>
public static partial class Readme
{
    public static string Text => Repository.Read("README.md");

    /// <summary>The first <c>bash</c> block under the heading named <paramref name="heading"/>.</summary>
    public static string Block(string heading)
    {
        var section = Regex.Split(Text, @"^#+ ", RegexOptions.Multiline).FirstOrDefault(s => s.StartsWith(heading + "\n", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"README.md has no heading '{heading}'");
        var block = BashBlock().Match(section);
        return block.Success ? block.Groups[1].Value : throw new Xunit.Sdk.XunitException($"README.md's '{heading}' has no bash block");
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
