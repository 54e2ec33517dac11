using System.Net;
using System.Text;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.TestServer;
using Microsoft.Extensions.Time.Testing;

namespace Interflow.Api.Tests.Console;

/// <summary>A test server on a clock the test moves, with an account, its members, and calls as a browser would make them.</summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    private ConsoleServer(InterflowTestServer server, FakeTimeProvider clock, TestAccount account, HttpClient admin)
    {
        Server = server;
        Clock = clock;
        Account = account;
        Admin = admin;
    }

    public InterflowTestServer Server { get; }

    public FakeTimeProvider Clock { get; }

    public TestAccount Account { get; }

    public HttpClient Admin { get; }

    /// <param name="platformSignIn">Run as where App Service authentication is on (<c>WEBSITE_AUTH_ENABLED</c>).</param>
    public static async Task<ConsoleServer> StartAsync(bool platformSignIn = false, Action<TestServerSettings>? configure = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new TestServerSettings { Clock = clock };
        if (platformSignIn)
        {
            settings.Configuration["WEBSITE_AUTH_ENABLED"] = "True";
        }
        configure?.Invoke(settings);
        var server = await InterflowTestServer.StartAsync(settings);
        var account = await InterflowServerFixture.CreateAccountAsync(server, Plan.Enterprise);
        return new ConsoleServer(server, clock, account, server.CreateAdminClient());
    }

    public async Task<string> AddMemberAsync(string role, string? issuer = null, string? subject = null, string? accountId = null)
    {
        var added = await Admin.PostApiAsync($"manage/accounts/{accountId ?? Account.Id}/members", new { name = $"Membro {role}", email = $"{role}@loja.com.br", role, issuer, subject });
        Assert.Equal(HttpStatusCode.Created, added.Status);
        return added.Data.GetProperty("id").GetString()!;
    }

    public Task<BrowserSession> SignInAsync(string memberId, string? accountId = null) =>
        BrowserSession.SignInAsync(Server, Admin, accountId ?? Account.Id, memberId);

    /// <summary>A console call as the page makes it: the session cookie, and its anti-forgery token unless told otherwise.</summary>
    public async Task<ApiResponse> CallAsync(BrowserSession? session, HttpMethod method, string path, object? body = null, bool antiForgery = true,
        Action<HttpRequestMessage>? configure = null)
    {
        using var browser = BrowserSession.Browser(Server);
        return await browser.CallAsync(method, path, body, request =>
        {
            if (session is not null)
            {
                request.Headers.Add("Cookie", session.Cookie);
                if (antiForgery)
                {
                    request.Headers.Add(Interflow.Api.Console.ConsoleAuthenticator.AntiForgeryHeader, session.CsrfToken);
                }
            }
            configure?.Invoke(request);
        });
    }

    /// <summary>The <c>X-MS-CLIENT-PRINCIPAL</c> App Service sends for a Microsoft Entra ID sign-in.</summary>
    public static string Principal(string issuer, string subject, string name = "Ana Souza") =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            claims = new[]
            {
                new { typ = "iss", val = issuer },
                new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = subject },
                new { typ = "name", val = name },
                new { typ = "preferred_username", val = "ana@lojaazul.com.br" },
            },
            name_typ = "name",
            role_typ = "roles",
        })));

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }
}
