using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Interflow.Api.Console;
using PuppeteerSharp;

namespace Interflow.Functions.Tests.Host;

/// <summary>The console in the Functions host: the local owner's printed link signs in, and the page lists the account's keys in Chromium.</summary>
[Collection(HostCollection.Name)]
public sealed class HostConsoleTests(HostFixture fixture)
{
    private FunctionsHost Host => fixture.Host;

    [SkippableFact]
    public async Task The_printed_link_signs_the_owner_in_and_the_page_lists_the_keys()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        var executable = Chromium.Executable();
        Skip.If(executable is null, Chromium.Missing);
        Assert.NotNull(Host.SignInPath);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
        await using var page = await browser.NewPageAsync();
        await page.GoToAsync(new Uri(Host.BaseAddress, Host.SignInPath!.TrimStart('/')).ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]", new WaitForSelectorOptions { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => document.querySelector('#keys-live .name')", new WaitForFunctionOptions { Timeout = 30_000 });

        Assert.EndsWith("/console/api-keys", page.Url, StringComparison.Ordinal);
        Assert.Contains("bootstrap live", await page.EvaluateExpressionAsync<string>("document.querySelector('#keys-live').textContent"), StringComparison.Ordinal);
        await page.ScreenshotAsync(Path.Combine(Chromium.ResultsDirectory(), "console-api-keys-host.png"), new ScreenshotOptions { FullPage = true });
        // The link was used: it signs in no one else.
        using var again = await BrowserSession.Browser(Host).GetAsync(Host.SignInPath.TrimStart('/'));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [SkippableFact]
    public async Task A_console_call_with_an_api_key_is_refused_in_the_host()
    {
        Skip.If(FunctionsHost.Unavailable is not null, FunctionsHost.Unavailable);
        using var api = Host.CreateClient(Host.LiveKey);

        using var answer = await api.GetAsync(ConsoleApi.Keys);
        var error = await answer.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal("UNAUTHORIZED", error.GetProperty("error").GetProperty("code").GetString());
    }
}
