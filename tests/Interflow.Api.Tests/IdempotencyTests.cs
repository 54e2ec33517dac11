using System.Net;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

public sealed class IdempotencyTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    private static Action<HttpRequestMessage> Key(string key) => r => r.Headers.Add("Idempotency-Key", key);

    [Fact]
    public async Task Retry_with_the_same_key_replays_the_first_response_and_does_nothing_twice()
    {
        using var client = await fixture.NewClientAsync();
        var body = ApiCalls.NewCustomer();
        var key = Guid.NewGuid().ToString();

        var first = await client.PostApiAsync("v1/customers", body, Key(key));
        var retry = await client.PostApiAsync("v1/customers", body, Key(key));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.Equal(first.Raw, retry.Raw);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal("", first.Header("Idempotent-Replayed"));
        Assert.Equal(1, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Same_key_with_another_body_or_path_is_422_IDEMPOTENCY_KEY_REUSED()
    {
        using var client = await fixture.NewClientAsync();
        var key = Guid.NewGuid().ToString();
        await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer(), Key(key));

        var otherBody = await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer(), Key(key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", otherBody.ErrorCode);
        Assert.Equal(1, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Concurrent_duplicates_execute_exactly_once()
    {
        using var client = await fixture.NewClientAsync();
        var body = ApiCalls.NewCustomer();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostApiAsync("v1/customers", body, Key(key))));

        var created = responses.Where(r => r.Status == HttpStatusCode.Created).ToArray();
        var inFlight = responses.Where(r => r.Status == HttpStatusCode.Conflict).ToArray();
        Assert.Equal(responses.Length, created.Length + inFlight.Length);
        Assert.Single(created.Select(r => r.Data.GetProperty("id").GetString()).Distinct());
        Assert.Single(created, r => r.Header("Idempotent-Replayed") != "true");
        // A second execution would have met the unique email and answered a 409 naming the field.
        Assert.All(inFlight, r => Assert.Empty(r.Details));
        Assert.All(inFlight, r => Assert.Equal("CONFLICT", r.ErrorCode));
        Assert.Equal(1, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Refusals_are_replayed_too()
    {
        using var client = await fixture.NewClientAsync();
        var key = Guid.NewGuid().ToString();

        var first = await client.PostApiAsync("v1/customers", new { name = "No contact" }, Key(key));
        var retry = await client.PostApiAsync("v1/customers", new { name = "No contact" }, Key(key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.Status);
        Assert.Equal(first.Raw, retry.Raw);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Keys_belong_to_one_tenant()
    {
        var account = await fixture.NewAccountAsync();
        using var live = fixture.Server.CreateClient(account.LiveKey);
        using var sandbox = fixture.Server.CreateClient(account.TestKey);
        using var other = await fixture.NewClientAsync();
        var body = ApiCalls.NewCustomer();
        var key = Guid.NewGuid().ToString();

        var responses = new[]
        {
            await live.PostApiAsync("v1/customers", body, Key(key)),
            await sandbox.PostApiAsync("v1/customers", body, Key(key)),
            await other.PostApiAsync("v1/customers", body, Key(key)),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.All(responses, r => Assert.Equal("", r.Header("Idempotent-Replayed")));
        Assert.Equal(3, responses.Select(r => r.Data.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Key_longer_than_255_characters_is_422()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer(), Key(new string('k', 256)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("Idempotency-Key", response.Details.Single().Field);
        Assert.Equal(0, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }
}
