namespace Interflow.Client;

/// <summary>How an <see cref="InterflowClient"/> calls the API.</summary>
public sealed class InterflowClientOptions
{
    /// <summary>The production API; <see cref="SandboxBaseAddress"/> is the sandbox.</summary>
    public static readonly Uri ProductionBaseAddress = new("https://api.interflow.chat/");

    public static readonly Uri SandboxBaseAddress = new("https://sandbox.api.interflow.chat/");

    /// <summary>An <c>ifk_live_</c> or <c>ifk_test_</c> key.</summary>
    public required string ApiKey { get; set; }

    /// <summary>Used when the HttpClient has no BaseAddress of its own (default: production).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Retries after the first try, on 409 (request in progress), 429, 503 and connection failures.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff when the API gives no Retry-After; it doubles, with jitter, on each retry.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait before a retry. A Retry-After beyond it is not cut short: the client gives up at once and the
    /// exception carries it (<see cref="InterflowApiException.RetryAfter"/>).
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Language of error messages: pt-BR by default, <c>en</c> for English.</summary>
    public string? Language { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
