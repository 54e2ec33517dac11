using System.Net;
using System.Text.Json;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure.Channels;

/// <summary>Graph API error responses mapped to ours: throttling and outages are retried, the rest fail the message.</summary>
public static class WhatsAppErrors
{
    public static ProviderResult Map(HttpStatusCode status, string body)
    {
        var (code, text) = Parse(body);
        var message = $"{text ?? status.ToString()} (WhatsApp {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        return code switch
        {
            // Throughput (130429), pair rate (131056) and app/account rate limits.
            130429 or 131056 or 4 or 80007 => Retry("PROVIDER_RATE_LIMITED"),
            // Generic, temporary and service-unavailable errors.
            1 or 2 or 131000 or 131016 => Retry("PROVIDER_UNAVAILABLE"),
            131047 => Reject("OUTSIDE_CUSTOMER_SERVICE_WINDOW"),
            131026 => Reject("RECIPIENT_UNAVAILABLE"),
            190 => Reject("PROVIDER_AUTH_FAILED"),
            >= 132000 and < 133000 => Reject("TEMPLATE_ERROR"),
            100 or 131008 or 131009 => Reject("PROVIDER_INVALID_REQUEST"),
            _ when status == HttpStatusCode.TooManyRequests => Retry("PROVIDER_RATE_LIMITED"),
            _ when (int)status >= 500 => Retry("PROVIDER_UNAVAILABLE"),
            _ when status == HttpStatusCode.Unauthorized => Reject("PROVIDER_AUTH_FAILED"),
            _ => Reject("PROVIDER_ERROR"),
        };

        ProviderResult Retry(string ours) => new ProviderResult.Retryable(new MessageError(ours, message));
        ProviderResult Reject(string ours) => new ProviderResult.Rejected(new MessageError(ours, message));
    }

    private static (int? Code, string? Message) Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                int? code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
                string? text = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                return (code, text);
            }
        }
        catch (JsonException)
        {
        }
        return (null, null);
    }
}
