using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Interflow.TestServer;

/// <summary>One request a receiver got: the Standard Webhooks headers and the raw body.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>A subscriber on loopback Kestrel: answers with scripted statuses (the last repeats), or hangs, and records every request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> script = new();
    private int last = 200;

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>A status of 0 makes the receiver hang instead of answering.</summary>
    public const int Hang = 0;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string Url { get; private set; } = "";

    /// <summary>Bodies this answers with 500 whatever the script says: one event a receiver cannot take.</summary>
    public Func<byte[], bool>? Refusing { get; set; }

    public IEnumerable<ReceivedWebhook> Succeeded => Received.Where(r => r.Answered is >= 200 and < 300);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LoopbackHost.Create();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var status = receiver.script.TryDequeue(out var next) ? receiver.last = next : receiver.last;
            if (receiver.Refusing is { } refusing && refusing(buffer.ToArray()))
            {
                status = 500;
            }
            receiver.Received.Enqueue(new ReceivedWebhook(
                http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), buffer.ToArray(), status));
            if (status == Hang)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted).ContinueWith(_ => { });
                return;
            }
            http.Response.StatusCode = status;
        });
        receiver.Url = await LoopbackHost.StartAsync(app) + "/hooks";
        return receiver;
    }

    /// <summary>Answers the next requests with these statuses, then keeps answering with the last.</summary>
    public WebhookReceiver Answer(params int[] statuses)
    {
        script.Clear();
        foreach (var status in statuses)
        {
            script.Enqueue(status);
        }
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
