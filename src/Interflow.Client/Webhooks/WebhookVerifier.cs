using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Interflow.Client;

/// <summary>A delivery that did not prove it came from the API: a missing header, a bad signature or a stale timestamp.</summary>
public sealed class WebhookVerificationException(string message) : Exception(message);

/// <summary>
/// Checks Standard Webhooks signatures: <c>webhook-signature</c> holds one or more <c>v1,</c>+base64 HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the base64 part of the endpoint's <c>whsec_</c>
/// secret. A timestamp further than the tolerance from now (either way) is refused, so that a captured delivery
/// cannot be replayed later; within it, dedupe by <see cref="WebhookEvent.Id"/> (deliveries are at least once).
/// </summary>
public sealed class WebhookVerifier
{
    private const string SecretPrefix = "whsec_";
    private readonly byte[] key;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider clock;

    /// <param name="secret">The endpoint's secret, as <see cref="CreatedWebhook.Secret"/> gave it.</param>
    /// <param name="tolerance">How far the timestamp may be from now (default 5 minutes).</param>
    public WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? clock = null)
    {
        key = KeyOf(secret);
        this.tolerance = tolerance ?? TimeSpan.FromMinutes(5);
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Signs a payload as the API signs a delivery (Stripe's <c>GenerateTestHeaderString</c>), to test a webhook handler
    /// without the API: the headers verify with a <see cref="WebhookVerifier"/> of the same secret.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GenerateTestHeaders(string payload, string secret, string? id = null, DateTimeOffset? timestamp = null)
    {
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var stamp = (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), Encoding.UTF8.GetBytes($"{id}.{stamp}.{payload}")));
        return new Dictionary<string, string> { ["webhook-id"] = id, ["webhook-timestamp"] = stamp, ["webhook-signature"] = "v1," + signature };
    }

    private static byte[] KeyOf(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        try
        {
            return Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        }
        catch (FormatException)
        {
            throw new ArgumentException("the secret is not a whsec_ secret", nameof(secret));
        }
    }

    /// <summary>Verifies a delivery and reads its event.</summary>
    /// <param name="headers">The request's headers (names in any case).</param>
    /// <param name="body">The raw body, exactly as received.</param>
    /// <exception cref="WebhookVerificationException">The delivery is not from the API, or too old.</exception>
    public WebhookEvent Verify(IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var byName = headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
        string Header(string name) => byName.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value)
            ? value : throw new WebhookVerificationException($"the {name} header is missing");
        var id = Header("webhook-id");
        var timestamp = Header("webhook-timestamp");
        var signatures = Header("webhook-signature");

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new WebhookVerificationException("webhook-timestamp is not a Unix time in seconds");
        }
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > tolerance)
        {
            throw new WebhookVerificationException($"webhook-timestamp is {age.Duration():g} from now, beyond the tolerance of {tolerance:g}");
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(key, signed);
        var matched = false;
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Other versions than v1 may be sent beside it; they are not ours to check.
            if (signature.StartsWith("v1,", StringComparison.Ordinal) && TryBase64(signature[3..]) is { } given)
            {
                matched |= CryptographicOperations.FixedTimeEquals(given, expected);
            }
        }
        if (!matched)
        {
            throw new WebhookVerificationException("no webhook-signature matches the body with this secret");
        }
        return JsonSerializer.Deserialize<WebhookEvent>(body, ApiConnection.Json)
            ?? throw new WebhookVerificationException("the body is not an event");
    }

    /// <summary>As <see cref="Verify"/>, without an exception: null when the delivery is not to be trusted.</summary>
    public WebhookEvent? TryVerify(IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        try
        {
            return Verify(headers, body);
        }
        catch (Exception exception) when (exception is WebhookVerificationException or JsonException)
        {
            return null;
        }
    }

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
