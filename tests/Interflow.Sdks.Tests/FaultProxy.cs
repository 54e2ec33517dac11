using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Interflow.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Interflow.Sdks.Tests;

/// <summary>One request as it passed the proxy: what an SDK sent and what came back to it.</summary>
public sealed record ProxiedRequest(string Method, string PathAndQuery, string? Key, string? IdempotencyKey, string? Body, int Status, string Fault);

/// <summary>
/// A reverse proxy in front of the test server, for SDK suites in any language: it records every request, and for an
/// API key it can be told (over HTTP, so a suite in Node, Python or PHP can do it) to lose the next answers after the
/// server handled the request, or to answer in the server's place.
/// <list type="bullet">
/// <item><c>POST /_faults</c> <c>{"key": "ifk_test_…", "faults": [{"lose": true}, {"status": 503, "retry_after": "0", "body": "…"}]}</c></item>
/// <item><c>GET /_requests?key=ifk_test_…</c>: that key's requests, oldest first (method, path, idempotency_key, status, fault)</item>
/// <item><c>POST /_sink</c>: a webhook receiver that answers 204</item>
/// </list>
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> faults = new();
    private readonly ConcurrentQueue<ProxiedRequest> requests = new();

    private FaultProxy(WebApplication app, HttpClient upstream)
    {
        this.app = app;
        this.upstream = upstream;
    }

    public string BaseAddress { get; private set; } = "";

    /// <summary>Every request the proxy passed on or answered itself (not its own control routes).</summary>
    public IReadOnlyCollection<ProxiedRequest> Requests => requests;

    public static async Task<FaultProxy> StartAsync(Uri server)
    {
        var app = LoopbackHost.Create();
        var proxy = new FaultProxy(app, new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) });
        app.MapPost("/_faults", (Func<HttpContext, Task<IResult>>)proxy.AddFaultsAsync);
        app.MapGet("/_requests", (string key) => Results.Json(proxy.requests.Where(r => r.Key == key).Select(r => new
        {
            method = r.Method, path = r.PathAndQuery, idempotency_key = r.IdempotencyKey, status = r.Status, fault = r.Fault,
        })));
        app.MapPost("/_sink", () => Results.NoContent());
        app.Map("/{**path}", proxy.ForwardAsync);
        proxy.BaseAddress = await LoopbackHost.StartAsync(app);
        return proxy;
    }

    private async Task<IResult> AddFaultsAsync(HttpContext http)
    {
        var order = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        var queue = faults.GetOrAdd(order["key"]!.GetValue<string>(), _ => new ConcurrentQueue<JsonObject>());
        foreach (var fault in order["faults"]!.AsArray())
        {
            queue.Enqueue(fault!.AsObject());
        }
        return Results.NoContent();
    }

    private async Task ForwardAsync(HttpContext http)
    {
        var request = http.Request;
        var key = request.Headers.Authorization.ToString() is { Length: > 7 } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? authorization[7..] : null;
        using var buffered = new MemoryStream();
        await request.Body.CopyToAsync(buffered);
        var body = buffered.Length == 0 ? null : System.Text.Encoding.UTF8.GetString(buffered.ToArray());
        var pathAndQuery = request.Path + request.QueryString;
        JsonObject? fault = null;
        if (key is not null && faults.TryGetValue(key, out var queue))
        {
            queue.TryDequeue(out fault);
        }
        void Record(int status, string what) =>
            requests.Enqueue(new ProxiedRequest(request.Method, pathAndQuery, key, request.Headers["Idempotency-Key"].FirstOrDefault(), body, status, what));

        if (fault?["status"] is { } status)
        {
            http.Response.StatusCode = status.GetValue<int>();
            if (fault["retry_after"]?.GetValue<string>() is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter;
            }
            http.Response.ContentType = fault["content_type"]?.GetValue<string>() ?? "application/json";
            Record(http.Response.StatusCode, "answered");
            await http.Response.WriteAsync(fault["body"]?.GetValue<string>() ?? "");
            return;
        }

        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), pathAndQuery.TrimStart('/'));
        if (body is not null)
        {
            forwarded.Content = new ByteArrayContent(buffered.ToArray());
        }
        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                forwarded.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }
        using var answer = await upstream.SendAsync(forwarded, HttpCompletionOption.ResponseContentRead);
        var content = await answer.Content.ReadAsByteArrayAsync();
        if (fault?["lose"]?.GetValue<bool>() == true)
        {
            // The server did the work; the caller never hears of it (a dropped connection, a timed-out gateway).
            Record((int)answer.StatusCode, "lost");
            http.Abort();
            return;
        }
        Record((int)answer.StatusCode, "");
        http.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }
        await http.Response.Body.WriteAsync(content);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        upstream.Dispose();
    }
}
