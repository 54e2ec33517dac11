using System.Net;
using System.Text.Json;
using Interflow.Api.Console;
using Interflow.TestServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interflow.Api.Tests.Console;

/// <summary>What members do with keys in the console, and what the keys then do on the API.</summary>
public sealed class ConsoleKeyTests : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> logs = new();
    private ConsoleServer console = null!;
    private BrowserSession owner = null!;

    public async Task InitializeAsync()
    {
        console = await ConsoleServer.StartAsync(configure: settings => settings.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(new LogLines(logs)));
        owner = await console.SignInAsync(await console.AddMemberAsync("owner"));
    }

    public async Task DisposeAsync() => await console.DisposeAsync();

    private async Task<(string Id, string Secret)> CreateAsync(object body)
    {
        var created = await console.CallAsync(owner, HttpMethod.Post, ConsoleApi.Keys, body);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (created.Data.GetProperty("key").GetProperty("id").GetString()!, created.Data.GetProperty("secret").GetString()!);
    }

    private async Task<HttpStatusCode> UseAsync(string secret, string path = "v1/customers") =>
        (await console.Server.CreateClient(secret).GetApiAsync(path)).Status;

    [Fact]
    public async Task A_new_key_works_once_made_and_is_listed_without_its_secret()
    {
        var (id, secret) = await CreateAsync(new { name = "Backend", environment = "live" });

        var listed = await console.CallAsync(owner, HttpMethod.Get, ConsoleApi.Keys);
        var key = listed.Data.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);

        Assert.Equal(HttpStatusCode.OK, await UseAsync(secret));
        Assert.Equal(("Backend", "live", "active", secret[..13]), (key.GetProperty("name").GetString(), key.GetProperty("environment").GetString(),
            key.GetProperty("state").GetString(), key.GetProperty("prefix").GetString()));
        Assert.Equal("Membro owner <owner@loja.com.br>", key.GetProperty("created_by").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("restrictions").ValueKind);
        Assert.DoesNotContain(secret, listed.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rolling_with_no_grace_stops_the_old_key_at_once_and_the_new_one_works()
    {
        var (id, old) = await CreateAsync(new { name = "Rolling", environment = "test" });

        var rolled = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{id}/roll", new { grace = "now" });
        var secret = rolled.Data.GetProperty("secret").GetString()!;
        var refused = await console.Server.CreateClient(old).GetApiAsync("v1/customers");

        Assert.Equal(HttpStatusCode.Created, rolled.Status);
        Assert.Equal(("Rolling", "test"), (rolled.Data.GetProperty("key").GetProperty("name").GetString(), rolled.Data.GetProperty("key").GetProperty("environment").GetString()));
        Assert.Equal("expired", rolled.Data.GetProperty("previous").GetProperty("state").GetString());
        Assert.Equal((HttpStatusCode.Unauthorized, "API_KEY_EXPIRED"), (refused.Status, refused.ErrorCode));
        Assert.Equal(HttpStatusCode.OK, await UseAsync(secret));
    }

    [Fact]
    public async Task Rolling_with_a_grace_keeps_the_old_key_until_it_ends_on_every_instance()
    {
        var (id, old) = await CreateAsync(new { name = "Graceful", environment = "live" });
        Assert.Equal(HttpStatusCode.OK, await UseAsync(old));

        var rolled = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{id}/roll", new { grace = "1h" });
        var during = await UseAsync(old);
        console.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var after = await console.Server.CreateClient(old).GetApiAsync("v1/customers");

        Assert.Equal("expiring", rolled.Data.GetProperty("previous").GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, during);
        Assert.Equal((HttpStatusCode.Unauthorized, "API_KEY_EXPIRED"), (after.Status, after.ErrorCode));
        Assert.Contains("expirada", after.ErrorMessage, StringComparison.Ordinal);
        var english = await console.Server.CreateClient(old).GetApiAsync("v1/customers", r => r.Headers.Add("Accept-Language", "en"));
        Assert.Contains("expired", english.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_stops_at_once_here_and_cannot_be_rolled()
    {
        var (id, secret) = await CreateAsync(new { name = "Leaked", environment = "live" });
        Assert.Equal(HttpStatusCode.OK, await UseAsync(secret));

        var revoked = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{id}/revoke");
        var roll = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{id}/roll", new { grace = "now" });

        Assert.Equal("revoked", revoked.Data.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, await UseAsync(secret));
        Assert.Equal((HttpStatusCode.Conflict, "CONFLICT"), (roll.Status, roll.ErrorCode));
    }

    [Fact]
    public async Task A_read_only_restricted_key_reads_and_is_refused_a_write_naming_the_permission_it_lacks()
    {
        var (_, secret) = await CreateAsync(new { name = "Relatórios", environment = "live", restrictions = new { customers = "read" } });
        using var client = console.Server.CreateClient(secret);

        var read = await client.GetApiAsync("v1/customers");
        var write = await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer());
        var other = await client.GetApiAsync("v1/messages/msg_unknown");
        var customers = await console.Server.CreateClient(console.Account.LiveKey).GetApiAsync("v1/customers");

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (write.Status, write.ErrorCode));
        Assert.Equal(("permission", "customers:write"), write.Details.Single());
        Assert.Contains("customers:write", write.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(("permission", "messages:read"), other.Details.Single());
        Assert.Equal(0, customers.Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_key_made_to_expire_works_until_then_and_answers_its_own_code_after()
    {
        var (_, secret) = await CreateAsync(new { name = "Temporária", environment = "live", expires_at = console.Clock.GetUtcNow().AddDays(1).ToString("O") });

        var before = await UseAsync(secret);
        console.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var after = await console.Server.CreateClient(secret).GetApiAsync("v1/customers");
        var unknown = await console.Server.CreateClient("ifk_live_" + new string('x', 32)).GetApiAsync("v1/customers");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal((HttpStatusCode.Unauthorized, "API_KEY_EXPIRED"), (after.Status, after.ErrorCode));
        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHORIZED"), (unknown.Status, unknown.ErrorCode));
    }

    [Fact]
    public async Task A_viewer_reads_the_page_and_changes_nothing()
    {
        var viewer = await console.SignInAsync(await console.AddMemberAsync("viewer"));
        var (id, _) = await CreateAsync(new { name = "Do dono", environment = "live" });

        var list = await console.CallAsync(viewer, HttpMethod.Get, ConsoleApi.Keys);
        var create = await console.CallAsync(viewer, HttpMethod.Post, ConsoleApi.Keys, new { name = "Do visitante", environment = "live" });
        var revoke = await console.CallAsync(viewer, HttpMethod.Post, $"console/api/keys/{id}/revoke");
        var session = await console.CallAsync(viewer, HttpMethod.Get, ConsoleApi.Session);
        var after = await console.CallAsync(owner, HttpMethod.Get, ConsoleApi.Keys);

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.False(session.Data.GetProperty("can_change_keys").GetBoolean());
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (create.Status, create.ErrorCode));
        Assert.Equal(HttpStatusCode.Forbidden, revoke.Status);
        Assert.DoesNotContain(after.Data.EnumerateArray(), k => k.GetProperty("name").GetString() == "Do visitante");
        Assert.Equal("active", after.Data.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Another_accounts_key_is_not_found_and_stays_as_it_was()
    {
        var other = await InterflowServerFixture.CreateAccountAsync(console.Server, Core.Accounts.Plan.Starter);
        var othersKey = (await console.Admin.GetApiAsync($"manage/accounts/{other.Id}/keys")).Data[0].GetProperty("id").GetString();

        var roll = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{othersKey}/roll", new { grace = "now" });
        var revoke = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{othersKey}/revoke");

        Assert.Equal(HttpStatusCode.NotFound, roll.Status);
        Assert.Equal(HttpStatusCode.NotFound, revoke.Status);
        Assert.Equal(HttpStatusCode.OK, await UseAsync(other.LiveKey));
    }

    [Fact]
    public async Task A_change_without_the_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var (id, secret) = await CreateAsync(new { name = "Protegida", environment = "live" });

        var create = await console.CallAsync(owner, HttpMethod.Post, ConsoleApi.Keys, new { name = "Forjada", environment = "live" }, antiForgery: false);
        var revoke = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{id}/revoke", antiForgery: false);
        var wrong = await console.CallAsync(owner with { CsrfToken = "not-the-token" }, HttpMethod.Post, $"console/api/keys/{id}/revoke");
        var keys = await console.CallAsync(owner, HttpMethod.Get, ConsoleApi.Keys);

        Assert.All(new[] { create, revoke, wrong }, answer => Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (answer.Status, answer.ErrorCode)));
        Assert.DoesNotContain(keys.Data.EnumerateArray(), k => k.GetProperty("name").GetString() == "Forjada");
        Assert.Equal(HttpStatusCode.OK, await UseAsync(secret));
    }

    [Fact]
    public async Task The_activity_names_who_did_what_and_no_secret_is_in_it_a_list_or_a_log_line()
    {
        var (id, first) = await CreateAsync(new { name = "Auditada", environment = "live" });
        console.Clock.Advance(TimeSpan.FromSeconds(1));
        var rolled = await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{id}/roll", new { grace = "24h" });
        var second = rolled.Data.GetProperty("secret").GetString()!;
        var newId = rolled.Data.GetProperty("key").GetProperty("id").GetString()!;
        console.Clock.Advance(TimeSpan.FromSeconds(1));
        await console.CallAsync(owner, HttpMethod.Post, $"console/api/keys/{newId}/revoke");

        var activity = await console.CallAsync(owner, HttpMethod.Get, ConsoleApi.Activity);
        var keys = await console.CallAsync(owner, HttpMethod.Get, ConsoleApi.Keys);
        var operatorList = await console.Admin.GetApiAsync($"manage/accounts/{console.Account.Id}/keys");

        var mine = activity.Data.EnumerateArray().Where(a => a.GetProperty("key_name").GetString() == "Auditada")
            .Select(a => (a.GetProperty("action").GetString(), a.GetProperty("actor").GetString())).ToArray();
        Assert.Equal([("revoked", "Membro owner <owner@loja.com.br>"), ("rolled", "Membro owner <owner@loja.com.br>"), ("created", "Membro owner <owner@loja.com.br>")], mine);
        Assert.Contains(rolled.Data.GetProperty("key").GetProperty("prefix").GetString()!, activity.Data[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var secret in new[] { first, second })
        {
            Assert.DoesNotContain(secret, activity.Raw, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, keys.Raw, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, operatorList.Raw, StringComparison.Ordinal);
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(logs, line => line.Contains(owner.CsrfToken, StringComparison.Ordinal));
        }
    }

    /// <summary>Every line the server logs, at every level (the server's container disposes it).</summary>
    private sealed class LogLines(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

        void IDisposable.Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {formatter(state, exception)} {exception}");
        }
    }
}
