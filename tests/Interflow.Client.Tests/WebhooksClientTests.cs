using System.Security.Cryptography;
using System.Text;
using Interflow.TestServer;
using Microsoft.Extensions.Time.Testing;

namespace Interflow.Client.Tests;

public sealed class WebhooksClientTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    [Fact]
    public async Task Endpoints_deliveries_and_a_test_ping_verified_by_the_WebhookVerifier()
    {
        var (client, _) = await fixture.NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();

        var created = await client.Webhooks.CreateAsync(new NewWebhook(receiver.Url, ["customer.created"], "CRM"));
        var read = await client.Webhooks.GetAsync(created.Id);
        var updated = await client.Webhooks.UpdateAsync(created.Id, new WebhookChanges(Events: ["customer.created", "message.read"]), ifMatch: read.ETag);
        var listed = await client.Webhooks.ListAsync();
        var ping = await client.Webhooks.TestAsync(created.Id);
        var customer = await client.Customers.CreateAsync(new NewCustomer("Maria", "maria@example.com"));
        var received = await Eventually.MatchAsync(() => Task.FromResult(receiver.Succeeded.ToArray()), r => r.Length >= 2);
        var deliveries = await Eventually.MatchAsync(() => client.Webhooks.ListAllDeliveriesAsync(created.Id).ToListAsync().AsTask(), d => d.Count >= 2 && d.All(x => x.Status == "succeeded"));

        var verifier = new WebhookVerifier(created.Secret);
        var events = received.Select(r => verifier.Verify(Headers(r), r.Body)).ToArray();

        Assert.StartsWith("whsec_", created.Secret);
        Assert.Equal(["customer.created", "message.read"], updated.Events);
        Assert.Equal(created.Id, Assert.Single(listed.Items).Id);
        Assert.Equal(("webhook.test", "succeeded"), (ping.EventType, ping.Status));
        Assert.Equal(200, Assert.Single(ping.Attempts).StatusCode);
        Assert.Equal(["customer.created", "webhook.test"], events.Select(e => e.Type).Order());
        Assert.Equal(received.Select(r => r.Id), events.Select(e => e.Id));
        Assert.Equal(customer.Id, events.Single(e => e.Type == "customer.created").Data.GetProperty("id").GetString());
        Assert.Equal(events.Select(e => e.Id).Order(), deliveries.Select(d => d.EventId).Order());
        Assert.False((await client.Webhooks.UpdateAsync(created.Id, new WebhookChanges(Enabled: false))).Enabled);
        Assert.Equal(new Deleted(created.Id, true), await client.Webhooks.DeleteAsync(created.Id));
    }

    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"customer.created","created_at":"2026-11-24T12:00:00Z","data":{"id":"cus_1"}}""");
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A signature made here from the Standard Webhooks spec, independently of the client's verifier.</summary>
    private static string Sign(string secret, string id, DateTimeOffset at, byte[] body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]),
            (byte[])[.. Encoding.UTF8.GetBytes($"{id}.{at.ToUnixTimeSeconds()}."), .. body]));

    private static Dictionary<string, string> Signed(string signature, DateTimeOffset? at = null) => new()
    {
        ["Webhook-Id"] = "evt_1",
        ["Webhook-Timestamp"] = (at ?? SignedAt).ToUnixTimeSeconds().ToString(),
        ["Webhook-Signature"] = signature,
    };

    public static TheoryData<string, int> Tolerated => new() { { "now", 0 }, { "4 min later", 4 * 60 }, { "4 min earlier", -4 * 60 } };

    [Theory]
    [MemberData(nameof(Tolerated))]
    public void Verifier_accepts_a_good_signature_within_the_tolerance(string _, int offsetSeconds)
    {
        var verifier = new WebhookVerifier(Secret, TimeSpan.FromMinutes(5), new FakeTimeProvider(SignedAt.AddSeconds(offsetSeconds)));

        var verified = verifier.Verify(Signed(Sign(Secret, "evt_1", SignedAt, Body)), Body);

        Assert.Equal(("evt_1", "customer.created", "cus_1"), (verified.Id, verified.Type, verified.Data.GetProperty("id").GetString()));
        // Several signatures (a secret being rotated): one that matches is enough.
        Assert.NotNull(verifier.TryVerify(Signed($"v1,{Convert.ToBase64String(new byte[32])} {Sign(Secret, "evt_1", SignedAt, Body)}"), Body));
    }

    public static TheoryData<string, Dictionary<string, string>, byte[], int> Refused => new()
    {
        { "body changed", Signed(Sign(Secret, "evt_1", SignedAt, Body)), [.. Body[..^2], (byte)' ', (byte)'}'], 0 },
        { "other secret", Signed(Sign("whsec_" + Convert.ToBase64String(new byte[24]), "evt_1", SignedAt, Body)), Body, 0 },
        { "other id", Signed(Sign(Secret, "evt_2", SignedAt, Body)), Body, 0 },
        { "timestamp moved", Signed(Sign(Secret, "evt_1", SignedAt, Body), SignedAt.AddSeconds(1)), Body, 0 },
        { "6 min old", Signed(Sign(Secret, "evt_1", SignedAt, Body)), Body, 6 * 60 },
        { "6 min ahead", Signed(Sign(Secret, "evt_1", SignedAt, Body)), Body, -6 * 60 },
        { "v2 only", Signed("v2," + Sign(Secret, "evt_1", SignedAt, Body)[3..]), Body, 0 },
        { "not base64", Signed("v1,%%%"), Body, 0 },
        { "no signature", new() { ["webhook-id"] = "evt_1", ["webhook-timestamp"] = SignedAt.ToUnixTimeSeconds().ToString() }, Body, 0 },
        { "timestamp not a number", Signed(Sign(Secret, "evt_1", SignedAt, Body)).With("webhook-timestamp", "12:00"), Body, 0 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Verifier_refuses_what_the_secret_did_not_sign_now(string _, Dictionary<string, string> headers, byte[] body, int secondsLater)
    {
        var verifier = new WebhookVerifier(Secret, TimeSpan.FromMinutes(5), new FakeTimeProvider(SignedAt.AddSeconds(secondsLater)));

        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(headers, body));
        Assert.Null(verifier.TryVerify(headers, body));
    }

    private static Dictionary<string, string> Headers(ReceivedWebhook webhook) => new()
    {
        ["webhook-id"] = webhook.Id,
        ["webhook-timestamp"] = webhook.Timestamp,
        ["webhook-signature"] = webhook.Signature,
    };
}

internal static class HeaderChanges
{
    /// <summary>The headers with one replaced, whatever the case of its name.</summary>
    public static Dictionary<string, string> With(this Dictionary<string, string> headers, string name, string value)
    {
        var changed = headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToDictionary();
        changed[name] = value;
        return changed;
    }
}
