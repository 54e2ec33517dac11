using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Interflow.Client.Tests;

/// <summary>One request the client put on the wire, and the status it got (null when its answer was lost).</summary>
public sealed record SentRequest(string Method, string PathAndQuery, string? IdempotencyKey, string? Body, int? Status);

/// <summary>
/// Sits between the client and the test server: records every request the client sends (each retry included), and
/// plays scripted faults in front of the server: an answer of its own instead of the server's, or the server's
/// answer dropped as a connection would drop it.
/// </summary>
public sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentQueue<Fault> faults = new();

    public ConcurrentQueue<SentRequest> Sent { get; } = new();

    /// <summary>What every handler of this test process recorded.</summary>
    public static ConcurrentQueue<SentRequest> All { get; } = new();

    /// <summary>What to do with the next request: let it through, answer instead of the server, or lose the server's answer.</summary>
    public abstract record Fault
    {
        public static readonly Fault None = new NoFault();

        public static Fault Answer(HttpStatusCode status, string? retryAfter = null, string body = "", string contentType = "application/json") =>
            new Answering(status, retryAfter, body, contentType);

        public static readonly Fault LoseAnswer = new Losing();
    }

    private sealed record NoFault : Fault;

    private sealed record Answering(HttpStatusCode Status, string? RetryAfter, string Body, string ContentType) : Fault;

    private sealed record Losing : Fault;

    /// <summary>The next requests meet these faults, in order; after them, requests reach the server.</summary>
    public void Next(params Fault[] next)
    {
        foreach (var fault in next)
        {
            faults.Enqueue(fault);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var fault = faults.TryDequeue(out var next) ? next : Fault.None;
        int? status = null;
        try
        {
            var response = await AnswerAsync(request, fault, cancellationToken);
            status = (int)response.StatusCode;
            return response;
        }
        finally
        {
            var sent = new SentRequest(request.Method.Method, request.RequestUri!.PathAndQuery,
                request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null, body, status);
            Sent.Enqueue(sent);
            All.Enqueue(sent);
        }
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, Fault fault, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case Answering answer:
                var response = new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, answer.ContentType), RequestMessage = request };
                if (answer.RetryAfter is not null)
                {
                    response.Headers.TryAddWithoutValidation("Retry-After", answer.RetryAfter);
                }
                return response;
            case Losing:
                using (await base.SendAsync(request, cancellationToken))
                {
                    // The server did the work and answered; the answer never reaches the client.
                    throw new HttpRequestException("connection reset after the request was sent (test fault)");
                }
            default:
                return await base.SendAsync(request, cancellationToken);
        }
    }
}
