using System.Net;
using Interflow.Api.Console;
using Interflow.Core.Accounts;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Console;

/// <summary>Who gets into the console: the platform's sign-in only where the platform says it is on, one-time links only locally, never an API key.</summary>
public sealed class ConsoleSignInTests
{
    private const string Issuer = "https://login.microsoftonline.com/7c1a6f0e-0000-4000-8000-000000000001/v2.0";

    [Fact]
    public async Task A_forged_platform_principal_signs_nobody_in_while_the_platform_sign_in_is_off()
    {
        await using var console = await ConsoleServer.StartAsync();
        await console.AddMemberAsync("owner", Issuer, "object-1");

        var answer = await console.CallAsync(null, HttpMethod.Get, ConsoleApi.Session,
            configure: r => r.Headers.Add(PlatformSignIn.PrincipalHeader, ConsoleServer.Principal(Issuer, "object-1")));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("UNAUTHORIZED", answer.ErrorCode);
        Assert.False(answer.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task With_the_platform_sign_in_on_its_principal_is_the_member_and_local_links_are_refused()
    {
        await using var console = await ConsoleServer.StartAsync(platformSignIn: true);
        var member = await console.AddMemberAsync("developer", Issuer, "object-2");

        var signedIn = await console.CallAsync(null, HttpMethod.Get, ConsoleApi.Session,
            configure: r => r.Headers.Add(PlatformSignIn.PrincipalHeader, ConsoleServer.Principal(Issuer, "object-2")));
        var stranger = await console.CallAsync(null, HttpMethod.Get, ConsoleApi.Session,
            configure: r => r.Headers.Add(PlatformSignIn.PrincipalHeader, ConsoleServer.Principal(Issuer, "object-not-a-member")));
        var link = await console.Admin.PostApiAsync($"manage/accounts/{console.Account.Id}/members/{member}/sign-in-links", null);
        var viaLink = await console.CallAsync(null, HttpMethod.Get, $"{ConsoleApi.SignIn}?token=anything");

        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal(member, signedIn.Data.GetProperty("member").GetProperty("id").GetString());
        Assert.Equal(console.Account.Id, signedIn.Data.GetProperty("account").GetProperty("id").GetString());
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ConsoleAuthenticator.Cookie + "=", StringComparison.Ordinal)
            && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.Status);
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (link.Status, link.ErrorCode));
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (viaLink.Status, viaLink.ErrorCode));
    }

    [Fact]
    public async Task A_link_works_once_and_not_after_it_expires()
    {
        await using var console = await ConsoleServer.StartAsync();
        var member = await console.AddMemberAsync("owner");
        var first = (await console.Admin.PostApiAsync($"manage/accounts/{console.Account.Id}/members/{member}/sign-in-links", null)).Data.GetProperty("path").GetString()!;
        var second = (await console.Admin.PostApiAsync($"manage/accounts/{console.Account.Id}/members/{member}/sign-in-links", null)).Data.GetProperty("path").GetString()!;

        var used = await BrowserSession.UseLinkAsync(console.Server, first);
        var again = await console.CallAsync(null, HttpMethod.Get, first.TrimStart('/'));
        console.Clock.Advance(MemberAdministration.LinkLifetime + TimeSpan.FromSeconds(1));
        var late = await console.CallAsync(null, HttpMethod.Get, second.TrimStart('/'));

        Assert.StartsWith(ConsoleAuthenticator.Cookie + "=", used.Cookie, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHORIZED"), (again.Status, again.ErrorCode));
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHORIZED"), (late.Status, late.ErrorCode));
        Assert.Contains("já usado ou expirado", late.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_never_opens_the_console_even_beside_a_session()
    {
        await using var console = await ConsoleServer.StartAsync();
        var session = await console.SignInAsync(await console.AddMemberAsync("owner"));

        var keyOnly = await console.CallAsync(null, HttpMethod.Get, ConsoleApi.Keys, configure: r => r.Headers.Add("Authorization", "Bearer " + console.Account.LiveKey));
        var keyAndSession = await console.CallAsync(session, HttpMethod.Post, ConsoleApi.Keys, new { name = "via key", environment = "live" },
            configure: r => r.Headers.Add("Authorization", "Bearer " + console.Account.LiveKey));
        var keys = await console.Admin.GetApiAsync($"manage/accounts/{console.Account.Id}/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, keyOnly.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, keyAndSession.Status);
        Assert.DoesNotContain(keys.Data.EnumerateArray(), k => k.GetProperty("name").GetString() == "via key");
    }

    [Fact]
    public async Task A_session_ends_after_its_idle_time_and_when_its_member_is_removed()
    {
        await using var console = await ConsoleServer.StartAsync();
        var member = await console.AddMemberAsync("owner");
        var idle = await console.SignInAsync(member);
        var removed = await console.SignInAsync(await console.AddMemberAsync("developer"));

        console.Clock.Advance(ConsoleSessions.IdleTimeout - TimeSpan.FromMinutes(1));
        var stillIn = await console.CallAsync(idle, HttpMethod.Get, ConsoleApi.Session);
        var removedMember = (await console.CallAsync(removed, HttpMethod.Get, ConsoleApi.Session)).Data.GetProperty("member").GetProperty("id").GetString();
        await console.Admin.DeleteApiAsync($"manage/accounts/{console.Account.Id}/members/{removedMember}");
        var afterRemoval = await console.CallAsync(removed, HttpMethod.Get, ConsoleApi.Session);
        console.Clock.Advance(ConsoleSessions.IdleTimeout + TimeSpan.FromMinutes(1));
        var afterIdle = await console.CallAsync(idle, HttpMethod.Get, ConsoleApi.Session);

        Assert.Equal(HttpStatusCode.OK, stillIn.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRemoval.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, afterIdle.Status);
    }

    [Fact]
    public async Task The_local_bootstrap_prints_a_link_that_signs_its_owner_in()
    {
        var settings = new TestServerSettings { Bootstrap = true };
        await using var server = await InterflowTestServer.StartAsync(settings);

        var session = await BrowserSession.UseLinkAsync(server, server.SignInPath!);
        using var browser = BrowserSession.Browser(server);
        var answer = await browser.CallAsync(HttpMethod.Get, ConsoleApi.Session, null, r => r.Headers.Add("Cookie", session.Cookie));

        Assert.StartsWith("/console/sign-in?token=", server.SignInPath, StringComparison.Ordinal);
        Assert.Equal("owner", answer.Data.GetProperty("member").GetProperty("role").GetString());
        Assert.Equal(server.Bootstrap!.Account.Id, answer.Data.GetProperty("account").GetProperty("id").GetString());
    }
}
