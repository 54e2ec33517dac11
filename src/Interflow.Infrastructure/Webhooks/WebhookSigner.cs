using System.Security.Cryptography;
using System.Text;

namespace Interflow.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64 HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// keyed with the base64 part of the <c>whsec_</c> secret.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(string secret, string id, long timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
