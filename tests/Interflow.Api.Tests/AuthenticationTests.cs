using System.Net;
using Interflow.Core.Accounts;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

public sealed class AuthenticationTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    public static TheoryData<string?> BadAuthorization => new()
    {
        null,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer not-a-key",
        "Bearer ifk_prod_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer ifk_live_short",
        "Bearer ifk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    };

    [Theory]
    [MemberData(nameof(BadAuthorization))]
    public async Task Missing_malformed_or_unknown_key_is_401(string? authorization)
    {
        using var client = fixture.Server.CreateClient();

        var response = await client.GetApiAsync("v1/customers", r =>
        {
            if (authorization is not null)
            {
                r.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHORIZED", response.ErrorCode);
        Assert.False(response.Body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Revoked_key_is_401_immediately()
    {
        var account = await fixture.NewAccountAsync();
        using var client = fixture.Server.CreateClient(account.LiveKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("v1/customers")).Status);
        using var admin = fixture.Server.CreateAdminClient();
        var keys = await admin.GetApiAsync($"manage/accounts/{account.Id}/keys");
        var liveKeyId = keys.Data.EnumerateArray().Single(k => k.GetProperty("environment").GetString() == "live").GetProperty("id").GetString();

        var revoked = await admin.DeleteApiAsync($"manage/accounts/{account.Id}/keys/{liveKeyId}");
        var after = await client.GetApiAsync("v1/customers");

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Equal("UNAUTHORIZED", after.ErrorCode);
        using var sandbox = fixture.Server.CreateClient(account.TestKey);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.GetApiAsync("v1/customers")).Status);
    }

    [Fact]
    public async Task Foreign_ids_are_404_across_accounts_and_environments()
    {
        var owner = await fixture.NewAccountAsync();
        var other = await fixture.NewAccountAsync();
        using var ownerLive = fixture.Server.CreateClient(owner.LiveKey);
        var id = await ownerLive.CreateCustomerIdAsync();

        foreach (var key in new[] { owner.TestKey, other.LiveKey, other.TestKey })
        {
            using var client = fixture.Server.CreateClient(key);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetApiAsync($"v1/customers/{id}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PutApiAsync($"v1/customers/{id}", new { name = "x" })).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteApiAsync($"v1/customers/{id}")).Status);
            Assert.Equal(0, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
        }
        Assert.Equal(HttpStatusCode.OK, (await ownerLive.GetApiAsync($"v1/customers/{id}")).Status);
    }

    [Fact]
    public async Task Sandbox_and_production_keep_separate_data_with_the_same_email()
    {
        var account = await fixture.NewAccountAsync();
        using var live = fixture.Server.CreateClient(account.LiveKey);
        using var test = fixture.Server.CreateClient(account.TestKey);
        var body = new { name = "Ana", email = "ana@example.com" };

        Assert.Equal(HttpStatusCode.Created, (await live.PostApiAsync("v1/customers", body)).Status);
        Assert.Equal(HttpStatusCode.Created, (await test.PostApiAsync("v1/customers", body)).Status);
        Assert.Equal(1, (await live.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Admin_routes_need_the_admin_key()
    {
        using var anonymous = fixture.Server.CreateClient();
        using var withApiKey = fixture.Server.CreateClient(fixture.Enterprise.LiveKey);

        var none = await anonymous.PostApiAsync("manage/accounts", new { name = "x", plan = "starter" });
        var apiKey = await withApiKey.GetApiAsync($"manage/accounts/{fixture.Enterprise.Id}");

        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, apiKey.Status);
        Assert.Equal("UNAUTHORIZED", none.ErrorCode);
    }

    [Fact]
    public async Task Keys_are_shown_once_and_lists_never_carry_secrets()
    {
        using var admin = fixture.Server.CreateAdminClient();
        var account = await admin.PostApiAsync("manage/accounts", new { name = "Loja Azul", plan = "professional" });
        var accountId = account.Data.GetProperty("id").GetString();

        var created = await admin.PostApiAsync($"manage/accounts/{accountId}/keys", new { name = "backend", environment = "test" });
        var secret = created.Data.GetProperty("secret").GetString()!;
        var list = await admin.GetApiAsync($"manage/accounts/{accountId}/keys");

        Assert.Equal(HttpStatusCode.Created, account.Status);
        Assert.Equal("professional", account.Data.GetProperty("plan").GetString());
        Assert.Matches("^ifk_test_[A-Za-z0-9]{32}$", secret);
        Assert.DoesNotContain(secret, list.Raw);
        Assert.DoesNotContain(ApiKeySecret.Hash(secret), list.Raw);
        Assert.Equal(secret[..13], list.Data[0].GetProperty("prefix").GetString());
        using var client = fixture.Server.CreateClient(secret);
        var call = await client.GetApiAsync("v1/customers");
        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("300", call.Header("X-RateLimit-Limit"));
        var relisted = await admin.GetApiAsync($"manage/accounts/{accountId}/keys");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, relisted.Data[0].GetProperty("last_used_at").ValueKind);
    }

    [Fact]
    public async Task Admin_input_is_validated()
    {
        using var admin = fixture.Server.CreateAdminClient();

        var account = await admin.PostApiAsync("manage/accounts", new { name = "", plan = "gold" });
        var key = await admin.PostApiAsync($"manage/accounts/{fixture.Enterprise.Id}/keys", new { name = "k", environment = "prod" });
        var missing = await admin.PostApiAsync("manage/accounts/acc_missing/keys", new { name = "k", environment = "live" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, account.Status);
        Assert.Equal(["name", "plan"], account.Details.Select(d => d.Field));
        Assert.Equal([("environment", "Valor inválido; aceitos: live, test")], key.Details);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }
}
