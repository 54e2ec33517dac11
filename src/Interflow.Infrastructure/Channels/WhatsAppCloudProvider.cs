using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Interflow.Core.Channels;
using Interflow.Core.Messages;
using Microsoft.Extensions.Logging;

namespace Interflow.Infrastructure.Channels;

public sealed class WhatsAppOptions
{
    /// <summary>The Graph API root, versioned, ending in '/'.</summary>
    public Uri GraphBaseUrl { get; set; } = new("https://graph.facebook.com/v21.0/");
}

/// <summary>
/// The WhatsApp Cloud API client. Its HttpClient carries the resilience pipeline (timeouts, retries on 429/5xx);
/// what is still failing after that is answered as retryable or rejected, never thrown.
/// </summary>
public sealed class WhatsAppCloudProvider(HttpClient http, ILogger<WhatsAppCloudProvider> logger) : IMessageProvider
{
    public async Task<ProviderResult> SendAsync(Channel channel, Message message, CancellationToken cancellationToken)
    {
        if (channel.WhatsApp is not { } credentials)
        {
            return new ProviderResult.Rejected(new MessageError("CHANNEL_MISCONFIGURED", "The channel has no WhatsApp credentials"));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Uri.EscapeDataString(credentials.PhoneNumberId)}/messages")
        {
            Content = JsonContent.Create(WhatsAppPayload.For(message)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var failure = WhatsAppErrors.Map(response.StatusCode, body);
                logger.LogWarning("WhatsApp refused message {MessageId}: {Status} {Result}", message.Id, (int)response.StatusCode, failure);
                return failure;
            }
            using var document = JsonDocument.Parse(body);
            return new ProviderResult.Accepted(document.RootElement.GetProperty("messages")[0].GetProperty("id").GetString()!);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                              || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("WhatsApp unreachable for message {MessageId}: {Error}", message.Id, exception.GetType().Name);
            return new ProviderResult.Retryable(new MessageError("PROVIDER_UNREACHABLE", "The WhatsApp Cloud API could not be reached"));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // A 2xx we cannot read: the provider may have sent it, so retrying could send it twice.
            return new ProviderResult.Rejected(new MessageError("PROVIDER_BAD_RESPONSE", "The WhatsApp Cloud API answered in an unexpected format"));
        }
    }
}
