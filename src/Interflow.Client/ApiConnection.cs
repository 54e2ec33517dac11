using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly;
using Polly.Retry;

namespace Interflow.Client;

/// <summary>
/// One call to the API: the key, the JSON, the envelope, errors as <see cref="InterflowApiException"/>, and retries.
/// A POST carries an Idempotency-Key that stays the same across its retries, so that a retried send or create
/// (after a lost answer, a 503 or a 409 "still in progress") happens once on the server.
/// </summary>
internal sealed class ApiConnection
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private readonly HttpClient http;
    private readonly InterflowClientOptions options;
    private readonly Uri baseAddress;
    private readonly ResiliencePipeline<HttpResponseMessage> retries;

    public ApiConnection(HttpClient http, InterflowClientOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKey);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        this.http = http;
        this.options = options;
        baseAddress = Root(http.BaseAddress ?? options.BaseAddress ?? InterflowClientOptions.ProductionBaseAddress);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                // The API's Retry-After wins over the backoff; null falls back to it.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }
        retries = builder.Build();
    }

    /// <summary>
    /// The API's root, whichever way it was written: the reference gives the base URL as <c>https://api.interflow.chat/v1</c>,
    /// and every path here starts with <c>v1/</c>, so a trailing <c>/v1</c> (and any trailing slash) is dropped.
    /// </summary>
    internal static Uri Root(Uri address)
    {
        var text = address.AbsoluteUri.TrimEnd('/');
        if (text.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^3].TrimEnd('/');
        }
        return new Uri(text + "/");
    }

    /// <summary>One result, with its version and the answer that carried it.</summary>
    public async Task<T> CallAsync<T>(HttpMethod method, string path, object? body = null, string? idempotencyKey = null, string? ifMatch = null, CancellationToken cancellationToken = default)
        where T : ApiResource
    {
        var answer = await SendAsync<T>(method, path, body, idempotencyKey, ifMatch, cancellationToken);
        // A result's own type is kept: the clone a with-expression makes is of the record's runtime type.
        return (T)(answer.Data with { ETag = answer.ETag, LastResponse = answer.Response });
    }

    private async Task<ApiAnswer<T>> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, string? ifMatch, CancellationToken cancellationToken)
    {
        var content = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json);
        idempotencyKey ??= method == HttpMethod.Post ? "ifc_" + Guid.NewGuid().ToString("N") : null;
        using var response = await ExchangeAsync(method, path, content, idempotencyKey, ifMatch, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A GET whose answer is not the envelope (the OpenAPI document).</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await ExchangeAsync(HttpMethod.Get, path, null, null, null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private Task<HttpResponseMessage> ExchangeAsync(HttpMethod method, string path, byte[]? content, string? idempotencyKey, string? ifMatch, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseAddress, path);
        return retries.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (options.Language is { } language)
            {
                request.Headers.AcceptLanguage.ParseAdd(language);
            }
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            if (content is not null)
            {
                request.Content = new ByteArrayContent(content);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            // The body is read before the request is let go: the answer is complete when this returns.
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
        }, cancellationToken).AsTask();
    }

    public async Task<Page<T>> ListAsync<T>(string path, CancellationToken cancellationToken)
    {
        var answer = await SendAsync<IReadOnlyList<T>>(HttpMethod.Get, path, null, null, null, cancellationToken);
        var meta = answer.Meta ?? throw new InterflowApiException(answer.Response.StatusCode, InterflowApiException.UnexpectedResponse, "a list without meta");
        return new Page<T>(answer.Data, meta.Page, meta.PerPage, meta.Total, meta.NextCursor) { LastResponse = answer.Response };
    }

    /// <summary>A path of segments, each escaped (ids come from callers).</summary>
    public static string PathOf(string collection, params string[] segments) =>
        string.Concat([collection, .. segments.Select(s => "/" + Uri.EscapeDataString(s))]);

    private async Task<ApiAnswer<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Envelope<T>? envelope = null;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope<T>>(text, Json);
        }
        catch (JsonException)
        {
            // Not the envelope: reported below with the status.
        }
        if (envelope is { Success: true, Data: { } data } && response.IsSuccessStatusCode)
        {
            return new ApiAnswer<T>(data, envelope.Meta, response.Headers.ETag?.ToString(), Answered(response, requestId));
        }
        if (envelope is { Success: false, Error: { } error })
        {
            throw new InterflowApiException(response.StatusCode, error.Code, error.Message, error.Details, requestId, RetryAfter(response));
        }
        throw new InterflowApiException(response.StatusCode, InterflowApiException.UnexpectedResponse,
            $"HTTP {(int)response.StatusCode} without the API's envelope: {(text.Length > 200 ? text[..200] + "…" : text)}", null, requestId, RetryAfter(response));
    }

    private static ResponseInfo Answered(HttpResponseMessage response, string? requestId)
    {
        int? Header(string name) => response.Headers.TryGetValues(name, out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;
        var rateLimit = (Header("X-RateLimit-Limit"), Header("X-RateLimit-Remaining"), Header("X-RateLimit-Reset")) is ({ } limit, { } remaining, { } reset)
            ? new RateLimitInfo(limit, remaining, DateTimeOffset.FromUnixTimeSeconds(reset))
            : null;
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var flags) && flags.Any(f => f.Equals("true", StringComparison.OrdinalIgnoreCase));
        return new ResponseInfo(requestId, response.StatusCode, rateLimit, replayed);
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException;
        }
        var response = outcome.Result!;
        var retryable = response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
            // 409 with Retry-After: the same Idempotency-Key is still being processed. Other conflicts are final.
            HttpStatusCode.Conflict => response.Headers.RetryAfter is not null,
            _ => false,
        };
        return retryable && !(RetryAfter(response) > options.MaxRetryDelay);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - options.TimeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private sealed record Envelope<T>(bool Success, T? Data, PageMeta? Meta, ErrorBody? Error);

    private sealed record ErrorBody(string Code, string Message, IReadOnlyList<ErrorDetail>? Details);
}

/// <summary>A page's <c>meta</c>: page, per_page and total, or, in a walk by cursor, per_page and next_cursor.</summary>
internal sealed record PageMeta(int? Page, int PerPage, int? Total, string? NextCursor);

internal sealed record ApiAnswer<T>(T Data, PageMeta? Meta, string? ETag, ResponseInfo Response);

/// <summary>
/// Walks a list by cursor, 100 items at a time: the API returns each item that exists for the whole walk exactly once,
/// whatever is added or deleted meanwhile (numbered pages would skip items as earlier ones are deleted).
/// </summary>
internal static class Paging
{
    public const int PerPage = 100;

    /// <param name="page">A page of the walk after a cursor ("" for the first).</param>
    public static async IAsyncEnumerable<T> AllAsync<T>(
        Func<string, CancellationToken, Task<Page<T>>> page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var cursor = ""; cursor is not null;)
        {
            var current = await page(cursor, cancellationToken);
            foreach (var item in current.Items)
            {
                yield return item;
            }
            cursor = current.NextCursor;
        }
    }

    /// <summary>A list's paging parameters: a numbered page, or, with a cursor, a page of a walk.</summary>
    public static (string Name, object? Value)[] Of(int page, int perPage, string? cursor) =>
        cursor is null ? [("page", page), ("per_page", perPage)] : [("per_page", perPage), ("cursor", cursor)];

    /// <summary>A path with its query: null values are left out, the rest escaped.</summary>
    public static string Query(string path, params (string Name, object? Value)[] parameters)
    {
        var query = string.Join("&", parameters.Where(p => p.Value is not null)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!)}"));
        return query.Length == 0 ? path : $"{path}?{query}";
    }
}
