using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Interflow.TestServer;

namespace Interflow.Sdks.Tests;

/// <summary>
/// Every step of a release up to the upload (<c>scripts/sdk-release.sh</c>, what the workflow's release jobs run), from a
/// fresh clone: each package built as its registry takes it, with what a user needs and nothing else.
/// </summary>
public sealed class SdkReleaseTests : IDisposable
{
    private readonly FreshClone clone = FreshClone.Create();

    private async Task<(int ExitCode, string Output)> ReleaseAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = clone.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["scripts/sdk-release.sh", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        // Debian's Python (python3-build, twine), as the test command installs them.
        start.Environment["PATH"] = "/usr/bin:" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["COMPOSER_ALLOW_SUPERUSER"] = "1";
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(6)).Token);
        return (script.ExitCode, await stdout + await stderr);
    }

    [SkippableFact]
    public async Task Each_package_is_built_checked_and_its_upload_rehearsed()
    {
        Skip.If(SdkSuite.All.Values.SelectMany(s => s.MissingTools()).Any() && Environment.GetEnvironmentVariable("INTERFLOW_SDKS_REQUIRED") != "1",
            "the SDK toolchains are missing (scripts/test.sh installs them)");

        var (exitCode, output) = await ReleaseAsync("all");

        Assert.True(exitCode == 0, output);
        Assert.Contains("+ @interflow/sdk@0.1.0", output); // npm publish --dry-run went through to the upload
        Assert.Contains("interflow-0.1.0.tar.gz: PASSED", Plain(output)); // twine check --strict
        Assert.Contains("./composer.json is valid", output);

        var npm = TarEntries(clone.Path(".artifacts/sdks/node/interflow-sdk-0.1.0.tgz"));
        Assert.Subset(npm.ToHashSet(), new HashSet<string> { "package/package.json", "package/README.md", "package/dist/esm/index.js", "package/dist/esm/index.d.ts", "package/dist/cjs/index.js" });
        Assert.DoesNotContain(npm, e => e.StartsWith("package/src/", StringComparison.Ordinal) || e.StartsWith("package/test/", StringComparison.Ordinal));

        using var wheel = ZipFile.OpenRead(clone.Path(".artifacts/sdks/python/interflow-0.1.0-py3-none-any.whl"));
        Assert.Subset(wheel.Entries.Select(e => e.FullName).ToHashSet(), new HashSet<string> { "interflow/__init__.py", "interflow/py.typed", "interflow/webhooks.py" });
        using (var metadata = new StreamReader(wheel.Entries.Single(e => e.FullName.EndsWith(".dist-info/METADATA", StringComparison.Ordinal)).Open()))
        {
            var text = await metadata.ReadToEndAsync();
            Assert.Contains("Version: 0.1.0", text);
            Assert.Contains("Requires-Dist: httpx", text);
        }
        Assert.True(File.Exists(clone.Path(".artifacts/sdks/python/interflow-0.1.0.tar.gz")));

        using var composer = ZipFile.OpenRead(clone.Path(".artifacts/sdks/php/interflow-php-0.1.0.zip"));
        var php = composer.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("src/Interflow.php", php);
        Assert.Contains("composer.json", php);
        Assert.DoesNotContain(php, e => e.StartsWith("tests/", StringComparison.Ordinal) || e.StartsWith("vendor/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node", "sdk-node-v0.2.0")]
    [InlineData("python", "sdk-node-v0.1.0")]
    [InlineData("php", "sdk-php-v1.0.0")]
    public async Task A_tag_that_is_not_the_packages_version_is_refused_before_anything_is_built(string sdk, string tag)
    {
        var (exitCode, output) = await ReleaseAsync(sdk, "--tag", tag);

        Assert.Equal(1, exitCode);
        Assert.Contains($"sdk-release: tag {tag} is not this package's version: {sdk} is 0.1.0 (sdk-{sdk}-v0.1.0)", output);
        Assert.False(Directory.Exists(clone.Path($".artifacts/sdks/{sdk}")));
    }

    private static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\x1b\[[0-9;]*m", "");

    private static List<string> TarEntries(string tgz)
    {
        using var file = File.OpenRead(tgz);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry.Name);
        }
        return entries;
    }

    public void Dispose() => clone.Dispose();
}
