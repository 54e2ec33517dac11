using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Interflow.Api.Console;

namespace Interflow.TestServer;

/// <summary>A console session of a member, as a browser holds it: its cookie, and the anti-forgery token the page reads.</summary>
public sealed record BrowserSession(string Cookie, string CsrfToken)
{
    /// <summary>What a console call sends: the cookie, and the token a state-changing call needs.</summary>
    public IReadOnlyDictionary<string, string> Headers => new Dictionary<string, string>
    {
        ["Cookie"] = Cookie,
        [ConsoleAuthenticator.AntiForgeryHeader] = CsrfToken,
    };

    /// <summary>Signs a member in as a local run does: a one-time link from the operator route, then the link.</summary>
    public static async Task<BrowserSession> SignInAsync(IApiHost server, HttpClient admin, string accountId, string memberId)
    {
        using var minted = await admin.PostAsync($"manage/accounts/{accountId}/members/{memberId}/sign-in-links", null);
        var path = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("path").GetString()!;
        return await UseLinkAsync(server, path);
    }

    /// <summary>Follows a sign-in path and keeps the cookie it sets; fails unless it signed in.</summary>
    public static async Task<BrowserSession> UseLinkAsync(IApiHost server, string path)
    {
        using var browser = Browser(server);
        using var signedIn = await browser.GetAsync(path.TrimStart('/'));
        if (signedIn.StatusCode != HttpStatusCode.SeeOther || !signedIn.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            throw new InvalidOperationException($"sign-in failed: {(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync()}");
        }
        var cookie = cookies.Single().Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, ConsoleApi.Session);
        request.Headers.Add("Cookie", cookie);
        using var session = await browser.SendAsync(request);
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("csrf_token").GetString()!;
        return new BrowserSession(cookie, token);
    }

    /// <summary>A client that neither follows redirects nor keeps cookies: each call says what it sends.</summary>
    public static HttpClient Browser(IApiHost server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
}
