using System.Net;
using Interflow.TestServer;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Interflow.Api.Tests.Console;

/// <summary>
/// The API keys page in headless Chromium, driven as a member uses it: sign in with the local link, generate a key and
/// read it from the dialog, roll it, revoke it, and make a read-only key; each key then tried on the API. Screenshots of
/// the page and of the dialog go to the test results.
/// </summary>
public sealed class ConsolePageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task A_member_signs_in_generates_rolls_revokes_and_restricts_keys_in_the_page()
    {
        var executable = Chromium.Executable();
        Skip.If(executable is null, Chromium.Missing);
        await using var server = await InterflowTestServer.StartAsync(new TestServerSettings { Bootstrap = true });
        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // No sandbox: test machines run as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        var results = Chromium.ResultsDirectory();

        await page.GoToAsync(new Uri(server.BaseAddress, server.SignInPath!.TrimStart('/')).ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]", new WaitForSelectorOptions { Timeout = (int)Wait.TotalMilliseconds });
        Assert.EndsWith("/console/api-keys", page.Url, StringComparison.Ordinal);
        Assert.Equal("Chaves de API", await Text(page, "h1"));
        Assert.Contains("Local development", await Text(page, "#account-name"), StringComparison.Ordinal);

        var first = await GenerateAsync(page, "Integração CRM", Path.Combine(results, "console-secret-dialog.png"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(server, first, HttpMethod.Get));

        await ClickInRowAsync(page, "Integração CRM", ".roll");
        await page.SelectAsync("#roll-grace", "now");
        await page.ClickAsync("#roll-submit");
        var rolled = await SecretAsync(page);
        Assert.NotEqual(first, rolled);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(server, first, HttpMethod.Get));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(server, rolled, HttpMethod.Get));

        await ClickInRowAsync(page, "Integração CRM", ".revoke");
        Assert.Contains(rolled[..13], await Text(page, "#revoke-text"), StringComparison.Ordinal);
        await page.ClickAsync("#revoke-submit");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('tr')].some(r => r.querySelector('.name')?.textContent === 'Integração CRM' && r.querySelector('.state.revoked'))",
            new WaitForFunctionOptions { Timeout = (int)Wait.TotalMilliseconds });
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(server, rolled, HttpMethod.Get));

        var readOnly = await GenerateAsync(page, "Relatórios", null, async () =>
        {
            await page.ClickAsync("input[name=access][value=restricted]");
            await page.SelectAsync("#grant-customers", "read");
        });
        Assert.Equal(HttpStatusCode.OK, await CallAsync(server, readOnly, HttpMethod.Get));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(server, readOnly, HttpMethod.Post));
        Assert.Contains("customers:", await Text(page, "#keys-live"), StringComparison.Ordinal);

        var activity = await Text(page, "#activity");
        Assert.Contains("revogou", activity, StringComparison.Ordinal);
        Assert.Contains("rotacionou", activity, StringComparison.Ordinal);
        Assert.DoesNotContain(first, await page.GetContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(Path.Combine(results, "console-api-keys.png"), new ScreenshotOptions { FullPage = true });

        await page.ClickAsync("#language");
        Assert.Equal("API keys", await Text(page, "h1"));
        await page.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844 });
        await page.ScreenshotAsync(Path.Combine(results, "console-api-keys-phone-en.png"), new ScreenshotOptions { FullPage = true });
        output.WriteLine($"screenshots: {results}/console-api-keys.png, console-secret-dialog.png, console-api-keys-phone-en.png");
    }

    /// <summary>Generates a live key through the dialog (<paramref name="restrict"/> sets its access) and reads its secret from the dialog that follows.</summary>
    private static async Task<string> GenerateAsync(IPage page, string name, string? screenshot, Func<Task>? restrict = null)
    {
        await page.ClickAsync("#new-key");
        await page.WaitForSelectorAsync("#create-dialog[open]");
        await page.TypeAsync("#key-name", name);
        await page.SelectAsync("#key-environment", "live");
        if (restrict is not null)
        {
            await restrict();
        }
        await page.ClickAsync("#create-submit");
        return await SecretAsync(page, screenshot);
    }

    /// <summary>The secret the dialog shows once, then the dialog closed: the page forgets it.</summary>
    private static async Task<string> SecretAsync(IPage page, string? screenshot = null)
    {
        await page.WaitForSelectorAsync("#secret-dialog[open]", new WaitForSelectorOptions { Timeout = (int)Wait.TotalMilliseconds });
        var secret = await page.EvaluateExpressionAsync<string>("document.querySelector('#secret-value').value");
        Assert.StartsWith("ifk_live_", secret, StringComparison.Ordinal);
        Assert.Contains("nunca a coloque em código de frontend", await Text(page, "#secret-dialog .warning"), StringComparison.Ordinal);
        if (screenshot is not null)
        {
            await page.ScreenshotAsync(screenshot);
        }
        await page.ClickAsync("#secret-done");
        Assert.Equal("", await page.EvaluateExpressionAsync<string>("document.querySelector('#secret-value').value"));
        return secret;
    }

    private static async Task ClickInRowAsync(IPage page, string name, string button)
    {
        var selector = $"[...document.querySelectorAll('tr')].find(r => r.querySelector('.name')?.textContent === {System.Text.Json.JsonSerializer.Serialize(name)} && r.querySelector('{button}'))";
        await page.WaitForFunctionAsync($"() => !!{selector}", new WaitForFunctionOptions { Timeout = (int)Wait.TotalMilliseconds });
        await page.EvaluateExpressionAsync($"{selector}.querySelector('{button}').click()");
    }

    private static Task<string> Text(IPage page, string selector) =>
        page.EvaluateExpressionAsync<string>($"document.querySelector({System.Text.Json.JsonSerializer.Serialize(selector)}).textContent");

    private static async Task<HttpStatusCode> CallAsync(InterflowTestServer server, string key, HttpMethod method)
    {
        using var client = server.CreateClient(key);
        var answer = method == HttpMethod.Get ? await client.GetApiAsync("v1/customers") : await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer());
        return answer.Status;
    }
}
