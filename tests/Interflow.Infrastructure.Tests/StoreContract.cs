using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Customers;
using Interflow.Core.Idempotency;
using Interflow.Core.Paging;

namespace Interflow.Infrastructure.Tests;

/// <summary>
/// What every store must do, whatever its engine. Each engine's test class derives from this and supplies its
/// stores; a test that its engine cannot run says why with <see cref="Skip"/>.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    // Expiring records are stamped from the real clock: stores drop what has expired by it (TTL, clean-up).
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private readonly Tenant tenant = new(Ids.New("acc"), ApiEnvironment.Live);

    protected StoreSet Stores { get; private set; } = null!;

    /// <summary>Null when the engine is available; otherwise why its tests are skipped.</summary>
    protected abstract string? Unavailable { get; }

    /// <summary>Null when the engine runs the given feature faithfully; otherwise why that test is skipped.</summary>
    protected virtual string? Lacks(string feature) => null;

    protected abstract Task<StoreSet> CreateStoresAsync();

    public async Task InitializeAsync()
    {
        if (Unavailable is null)
        {
            Stores = await CreateStoresAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Stores is not null)
        {
            await Stores.Cleanup();
        }
    }

    protected void RequireEngine(string? feature = null) => Require(feature);

    private void Require(string? feature = null)
    {
        Skip.If(Unavailable is not null, Unavailable);
        if (feature is not null)
        {
            Skip.If(Lacks(feature) is not null, Lacks(feature));
        }
    }

    private static Customer NewCustomer(Tenant tenant, string name = "Ana", string? email = null, string? phone = null, DateTimeOffset? at = null, params string[] tags) =>
        new(Ids.New("cust"), tenant, name, email, phone, tags,
            new Dictionary<string, JsonElement> { ["plan"] = JsonSerializer.SerializeToElement("gold"), ["score"] = JsonSerializer.SerializeToElement(9.5), ["vip"] = JsonSerializer.SerializeToElement(true) },
            at ?? T0, at ?? T0, []);

    [SkippableFact]
    public async Task Accounts_and_keys_round_trip_and_keys_are_found_by_hash()
    {
        Require();
        var account = new Account(Ids.New("acc"), "Loja", Plan.Professional, T0);
        await Stores.Accounts.CreateAccountAsync(account, default);
        var first = new ApiKey(Ids.New("key"), account.Id, ApiEnvironment.Live, "a", "ifk_live_abcd", ApiKeySecret.Hash(Guid.NewGuid().ToString()), T0, null, null);
        var second = first with { Id = Ids.New("key"), Environment = ApiEnvironment.Test, SecretHash = ApiKeySecret.Hash(Guid.NewGuid().ToString()), CreatedAt = T0.AddSeconds(1) };
        await Stores.Accounts.CreateKeyAsync(first, default);
        await Stores.Accounts.CreateKeyAsync(second, default);

        Assert.Equal(account, await Stores.Accounts.GetAccountAsync(account.Id, default));
        Assert.True(await Stores.Accounts.AnyAccountAsync(default));
        Assert.Equal(first, await Stores.Accounts.FindKeyByHashAsync(first.SecretHash, default));
        Assert.Equal([first, second], await Stores.Accounts.ListKeysAsync(account.Id, default));

        var revoked = second with { RevokedAt = T0.AddMinutes(1), LastUsedAt = T0.AddSeconds(30) };
        await Stores.Accounts.SaveKeyAsync(revoked, default);
        Assert.Equal(revoked, await Stores.Accounts.FindKeyByHashAsync(second.SecretHash, default));
    }

    [SkippableFact]
    public async Task Missing_accounts_and_keys_are_null()
    {
        Require("point reads of missing items");
        Assert.Null(await Stores.Accounts.GetAccountAsync("acc_missing", default));
        Assert.Null(await Stores.Accounts.FindKeyByHashAsync(ApiKeySecret.Hash("nope"), default));
        Assert.Empty(await Stores.Accounts.ListKeysAsync("acc_missing", default));
    }

    [SkippableFact]
    public async Task Customer_round_trips_with_scalar_custom_fields_and_a_new_etag_per_write()
    {
        Require();
        var customer = NewCustomer(tenant, "João Conceição", "Joao@Example.com", "5511987654321", null, "vip", "lead");

        var created = await Stores.Customers.CreateAsync(customer, default);
        var read = await Stores.Customers.GetAsync(tenant, customer.Id, default);

        Assert.NotEmpty(created.ETag);
        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal(customer.Name, read.Name);
        Assert.Equal(customer.Email, read.Email);
        Assert.Equal(customer.Phone, read.Phone);
        Assert.Equal(customer.Tags, read.Tags);
        Assert.Equal(T0, read.CreatedAt);
        Assert.Equal(JsonValueKind.String, read.CustomFields["plan"].ValueKind);
        Assert.Equal(9.5, read.CustomFields["score"].GetDouble());
        Assert.True(read.CustomFields["vip"].GetBoolean());

        var replaced = await Stores.Customers.ReplaceAsync(read with { Name = "João" }, read.ETag, default);
        Assert.NotEqual(read.ETag, replaced.ETag);
        Assert.Equal("João", (await Stores.Customers.GetAsync(tenant, customer.Id, default))!.Name);
    }

    [SkippableFact]
    public async Task Replace_with_a_stale_etag_is_refused()
    {
        Require();
        var created = await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "stale@example.com"), default);
        await Stores.Customers.ReplaceAsync(created with { Name = "First" }, created.ETag, default);

        await Assert.ThrowsAsync<VersionMismatchException>(() => Stores.Customers.ReplaceAsync(created with { Name = "Second" }, created.ETag, default));
        Assert.Equal("First", (await Stores.Customers.GetAsync(tenant, created.Id, default))!.Name);
    }

    [SkippableFact]
    public async Task Email_is_unique_case_insensitively_and_phone_exactly_per_tenant()
    {
        Require();
        await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "Same@Example.com", phone: "5511987650001"), default);

        var email = await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.Customers.CreateAsync(NewCustomer(tenant, email: "same@example.COM"), default));
        var phone = await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.Customers.CreateAsync(NewCustomer(tenant, phone: "5511987650001"), default));
        Assert.Equal("email", email.Field);
        Assert.Equal("phone", phone.Field);

        var sandbox = tenant with { Environment = ApiEnvironment.Test };
        await Stores.Customers.CreateAsync(NewCustomer(sandbox, email: "same@example.com", phone: "5511987650001"), default);
    }

    [SkippableFact]
    public async Task Customers_without_email_or_phone_do_not_collide()
    {
        Require();
        await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "only-email-1@example.com"), default);
        await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "only-email-2@example.com"), default);
        await Stores.Customers.CreateAsync(NewCustomer(tenant, phone: "5511987650002"), default);
        await Stores.Customers.CreateAsync(NewCustomer(tenant, phone: "5511987650003"), default);
    }

    [SkippableFact]
    public async Task Replace_into_another_customers_email_is_a_duplicate()
    {
        Require();
        await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "owner@example.com"), default);
        var other = await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "other@example.com"), default);

        var error = await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.Customers.ReplaceAsync(other with { Email = "OWNER@example.com" }, other.ETag, default));
        Assert.Equal("email", error.Field);
    }

    [SkippableFact]
    public async Task Other_tenants_never_see_a_customer()
    {
        Require("point reads of missing items");
        var created = await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "mine@example.com"), default);
        var stranger = new Tenant(Ids.New("acc"), ApiEnvironment.Live);

        Assert.Null(await Stores.Customers.GetAsync(stranger, created.Id, default));
        Assert.Null(await Stores.Customers.GetAsync(tenant with { Environment = ApiEnvironment.Test }, created.Id, default));
        Assert.False(await Stores.Customers.DeleteAsync(stranger, created.Id, default));
        Assert.NotNull(await Stores.Customers.GetAsync(tenant, created.Id, default));
    }

    [SkippableFact]
    public async Task Delete_removes_once_and_replace_after_delete_is_not_found()
    {
        Require("point reads of missing items");
        var created = await Stores.Customers.CreateAsync(NewCustomer(tenant, email: "bye@example.com"), default);

        Assert.True(await Stores.Customers.DeleteAsync(tenant, created.Id, default));
        Assert.False(await Stores.Customers.DeleteAsync(tenant, created.Id, default));
        Assert.Null(await Stores.Customers.GetAsync(tenant, created.Id, default));
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.Customers.ReplaceAsync(created with { Name = "x" }, created.ETag, default));
    }

    [SkippableFact]
    public async Task List_is_newest_first_with_filters_paging_and_total_within_the_tenant()
    {
        Require("OFFSET/LIMIT queries");
        var names = new[] { "Maria Conceição", "José", "Pedro", "Mariana", "Ana" };
        var ids = new List<string>();
        for (var i = 0; i < names.Length; i++)
        {
            var customer = NewCustomer(tenant, names[i], $"c{i}@Loja{i % 2}.com", $"551198765{i:D4}", T0.AddSeconds(i), i % 2 == 0 ? ["vip"] : ["lead"]);
            ids.Add((await Stores.Customers.CreateAsync(customer, default)).Id);
        }
        await Stores.Customers.CreateAsync(NewCustomer(new Tenant(Ids.New("acc"), ApiEnvironment.Live), "Maria Outra", "x@loja0.com"), default);

        async Task<(string Ids, long Total)> List(CustomerFilter filter, int page = 1, int perPage = 20)
        {
            var result = await Stores.Customers.ListAsync(tenant, filter, new PageRequest(page, perPage), default);
            return (string.Join(",", result.Items.Select(c => c.Id)), result.Total ?? -1);
        }

        static string Expect(params string[] expected) => string.Join(",", expected);

        Assert.Equal((Expect([.. ids.AsEnumerable().Reverse()]), 5L), await List(new CustomerFilter()));
        Assert.Equal((Expect(ids[3], ids[0]), 2L), await List(new CustomerFilter(Search: "MARIA")));
        Assert.Equal((Expect(ids[0]), 1L), await List(new CustomerFilter(Search: "conceição")));
        Assert.Equal((Expect(ids[3], ids[1]), 2L), await List(new CustomerFilter(Search: "@loja1.")));
        Assert.Equal((Expect(ids[2]), 1L), await List(new CustomerFilter(Search: "87650002")));
        Assert.Equal((Expect(ids[4], ids[2], ids[0]), 3L), await List(new CustomerFilter(Tag: "vip")));
        Assert.Equal((Expect(ids[1]), 1L), await List(new CustomerFilter(Email: "C1@LOJA1.COM")));
        Assert.Equal((Expect(ids[4]), 1L), await List(new CustomerFilter(Phone: "5511987650004")));
        Assert.Equal((Expect(ids[2]), 1L), await List(new CustomerFilter(Search: "pedro", Tag: "vip")));
        Assert.Equal((Expect(), 0L), await List(new CustomerFilter(Search: "100%_")));
        Assert.Equal((Expect(ids[2], ids[1]), 5L), await List(new CustomerFilter(), page: 2, perPage: 2));
        Assert.Equal((Expect(), 5L), await List(new CustomerFilter(), page: 4, perPage: 2));
    }

    [SkippableFact]
    public async Task Idempotency_claim_is_exclusive_until_completed_taken_over_or_released()
    {
        Require("point reads of missing items");
        var claim = new IdempotencyRecord(Ids.New("idem"), "fingerprint-1", Now.AddMinutes(5), Now.AddHours(24));

        Assert.Null(await Stores.Idempotency.TryClaimAsync(claim, default));
        var held = await Stores.Idempotency.TryClaimAsync(claim with { Fingerprint = "fingerprint-2" }, default);
        Assert.NotNull(held);
        Assert.Equal("fingerprint-1", held.Fingerprint);
        Assert.False(held.IsCompleted);
        Assert.NotEmpty(held.ETag);

        Assert.False(await Stores.Idempotency.TryTakeOverAsync(claim, "not-the-etag", default));
        Assert.True(await Stores.Idempotency.TryTakeOverAsync(claim with { Fingerprint = "fingerprint-3" }, held.ETag, default));
        Assert.False(await Stores.Idempotency.TryTakeOverAsync(claim, held.ETag, default));

        await Stores.Idempotency.CompleteAsync(claim with { StatusCode = 201, ResponseBody = """{"ok":true}""", ResponseETag = "v1" }, default);
        var completed = await Stores.Idempotency.TryClaimAsync(claim, default);
        Assert.NotNull(completed);
        Assert.True(completed.IsCompleted);
        Assert.Equal((201, """{"ok":true}""", "v1"), (completed.StatusCode!.Value, completed.ResponseBody, completed.ResponseETag));

        await Stores.Idempotency.ReleaseAsync(claim.Id, default);
        Assert.Null(await Stores.Idempotency.TryClaimAsync(claim, default));
    }

    [SkippableFact]
    public async Task Rate_limit_counters_increment_atomically_under_concurrency()
    {
        Require();
        var counter = $"{tenant.Key}:{Guid.NewGuid():N}";
        var other = $"{tenant.Key}:{Guid.NewGuid():N}";

        var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Stores.RateLimits.IncrementAsync(counter, 1, Now.AddMinutes(2), default)));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), counts.Order());
        Assert.Equal(1, await Stores.RateLimits.IncrementAsync(other, 1, Now.AddMinutes(2), default));
        Assert.Equal(41, await Stores.RateLimits.IncrementAsync(counter, 1, Now.AddMinutes(2), default));
    }
}
