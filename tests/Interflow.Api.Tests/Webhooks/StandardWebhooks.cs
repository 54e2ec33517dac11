using Interflow.TestServer;
using System.Security.Cryptography;
using System.Text;

namespace Interflow.Api.Tests.Webhooks;

/// <summary>
/// The Standard Webhooks signature, written here from the spec and independent of the product's signer: HMAC-SHA256
/// keyed with the base64-decoded part of <c>whsec_…</c>, over <c>{id}.{timestamp}.{body}</c>, sent as <c>v1,&lt;base64&gt;</c>.
/// </summary>
public static class StandardWebhooks
{
    public static bool Verify(string secret, ReceivedWebhook webhook)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.").Concat(webhook.Body).ToArray());
        return webhook.Signature.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(s[3..]), expected));
    }
}
