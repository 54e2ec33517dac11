using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Interflow.TestServer;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Tests.Messaging;

/// <summary>A request the stub received: path, bearer token and JSON body.</summary>
public sealed record GraphCall(string Path, string? Authorization, JsonElement Body, int AnsweredStatus);

/// <summary>
/// A stand-in for the Graph API on loopback Kestrel: records every call and answers with the scripted responses in
/// order (the last one repeats), so tests see the exact wire format and control failures.
/// </summary>
public sealed class GraphApiStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<(int Status, string Body)> script = new();
    private (int Status, string Body) last = (200, "");
    private int accepted;

    private GraphApiStub(WebApplication app) => this.app = app;

    public ConcurrentQueue<GraphCall> Calls { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public int Succeeded => Calls.Count(c => c.AnsweredStatus == 200);

    public static async Task<GraphApiStub> StartAsync()
    {
        var app = LoopbackHost.Create();
        var stub = new GraphApiStub(app);
        app.MapPost("/v21.0/{phoneNumberId}/messages", async (HttpContext http) =>
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body);
            var (status, body) = stub.script.TryDequeue(out var next) ? stub.last = next : stub.last;
            if (status == 200)
            {
                body = $$"""{"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"wamid.{{Interlocked.Increment(ref stub.accepted)}}"}]}""";
            }
            stub.Calls.Enqueue(new GraphCall(http.Request.Path, http.Request.Headers.Authorization, document.RootElement.Clone(), status));
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body);
        });
        stub.BaseAddress = new Uri(await LoopbackHost.StartAsync(app) + "/v21.0/");
        return stub;
    }

    /// <summary>From now on: accept every message.</summary>
    public void Succeed()
    {
        script.Clear();
        last = (200, "");
    }

    /// <summary>Answers the next call(s) with this; the last scripted answer repeats.</summary>
    public GraphApiStub Then(int status, string body)
    {
        script.Enqueue((status, body));
        return this;
    }

    public static string Error(int code, string message = "error") =>
        JsonSerializer.Serialize(new { error = new { message, type = "OAuthException", code, fbtrace_id = "A1" } });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
