using System.Diagnostics;
using System.Net;
using Interflow.Core.Accounts;

namespace Interflow.Client.Tests;

/// <summary>
/// Which answers the client retries, with which Idempotency-Key, and how long it waits: a real server behind a
/// handler that can lose its answers or answer in its place.
/// </summary>
public sealed class RetryTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    private const string InProgress = """{"success":false,"error":{"code":"CONFLICT","message":"A request with this Idempotency-Key is still being processed"}}""";
    private const string Unavailable = """{"success":false,"error":{"code":"SERVICE_UNAVAILABLE","message":"Service temporarily unavailable; please retry"}}""";

    [Fact]
    public async Task A_lost_answer_is_retried_with_the_same_key_and_the_server_creates_once()
    {
        var (client, wire) = await fixture.NewClientAsync();
        var channel = await client.Channels.CreateAsync(NewChannel.Sandbox("Loja"));
        wire.Next(RecordingHandler.Fault.LoseAnswer, RecordingHandler.Fault.LoseAnswer);

        var message = await client.Messages.SendAsync(new SendMessage(channel.Id, "5511987654321", new TextContent("Pedido confirmado")));

        var sends = wire.Sent.Where(r => r.PathAndQuery == "/v1/messages/send").ToArray();
        Assert.Equal(3, sends.Length);
        Assert.Single(sends.Select(r => r.IdempotencyKey).Distinct());
        Assert.NotNull(sends[0].IdempotencyKey);
        var chat = await client.Chats.OpenAsync(NewChat.ForPhone(channel.Id, "5511987654321"));
        Assert.Equal([message.Id], (await client.Chats.ListAllMessagesAsync(chat.Id).ToListAsync()).Select(m => m.Id));
    }

    [Fact]
    public async Task Each_call_has_its_own_key_and_a_key_of_your_own_makes_calls_one()
    {
        var (client, wire) = await fixture.NewClientAsync();

        var first = await client.Customers.CreateAsync(new NewCustomer("Ana", "ana@example.com"), idempotencyKey: "crm-42");
        var again = await client.Customers.CreateAsync(new NewCustomer("Ana", "ana@example.com"), idempotencyKey: "crm-42");
        await client.Customers.CreateAsync(new NewCustomer("Bia", "bia@example.com"));
        await client.Customers.CreateAsync(new NewCustomer("Carla", "carla@example.com"));

        Assert.Equal((first.Id, first.ETag), (again.Id, again.ETag));
        Assert.Equal(3, (await client.Customers.ListAsync()).Total);
        var keys = wire.Sent.Where(r => r.Method == "POST").Select(r => r.IdempotencyKey).ToArray();
        Assert.Equal(4, keys.Length);
        Assert.Equal(3, keys.Distinct().Count());
        Assert.Null((await GetWithWireAsync(client, wire)).IdempotencyKey);
    }

    [Fact]
    public async Task In_progress_409_and_503_are_retried_after_their_Retry_After_and_a_plain_409_is_not()
    {
        var (client, wire) = await fixture.NewClientAsync();
        wire.Next(
            RecordingHandler.Fault.Answer(HttpStatusCode.Conflict, "1", InProgress),
            RecordingHandler.Fault.Answer(HttpStatusCode.ServiceUnavailable, "0", Unavailable));
        var watch = Stopwatch.StartNew();

        var customer = await client.Customers.CreateAsync(new NewCustomer("Dora", "dora@example.com"));

        // Retry-After: 1 was honoured (a lower bound: the client waits at least as long as asked).
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"retried after {watch.Elapsed}");
        Assert.Equal(3, wire.Sent.Count);
        Assert.Single(wire.Sent.Select(r => r.IdempotencyKey).Distinct());
        var duplicate = await Assert.ThrowsAsync<InterflowApiException>(() => client.Customers.CreateAsync(new NewCustomer("Dora 2", "DORA@example.com")));
        Assert.Equal((HttpStatusCode.Conflict, "CONFLICT", null), (duplicate.Status, duplicate.Code, duplicate.RetryAfter));
        Assert.Equal(4, wire.Sent.Count);
        Assert.Equal(customer.Id, Assert.Single((await client.Customers.ListAsync(new CustomerFilter(Email: "dora@example.com"))).Items).Id);
    }

    [Fact]
    public async Task Retries_stop_at_the_cap_and_the_last_answer_is_raised()
    {
        var (client, wire) = await fixture.NewClientAsync(configure: o => o.MaxRetries = 2);
        wire.Next(Enumerable.Repeat(RecordingHandler.Fault.Answer(HttpStatusCode.ServiceUnavailable, "0", Unavailable), 3).ToArray());

        var error = await Assert.ThrowsAsync<InterflowApiException>(() => client.Customers.ListAsync());

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE", TimeSpan.Zero), (error.Status, error.Code, error.RetryAfter));
        Assert.Equal(3, wire.Sent.Count);
        Assert.Equal(0, (await client.Customers.ListAsync()).Total);
    }

    [Fact]
    public async Task A_rate_limit_wait_beyond_the_cap_is_raised_at_once_not_cut_short()
    {
        var (client, wire) = await fixture.NewClientAsync(Plan.Starter, o => o.MaxRetryDelay = TimeSpan.FromSeconds(1));
        InterflowApiException? error = null;
        var sentBefore = 0;
        // Starter allows 60 requests a minute: the 61st is refused (one more window at most, should a minute turn).
        for (var call = 0; call < 130 && error is null; call++)
        {
            sentBefore = wire.Sent.Count;
            try
            {
                await client.Customers.ListAsync();
            }
            catch (InterflowApiException exception)
            {
                error = exception;
            }
        }

        Assert.NotNull(error);
        Assert.Equal((HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED"), (error.Status, error.Code));
        Assert.True(error.RetryAfter > TimeSpan.FromSeconds(1), $"Retry-After {error.RetryAfter}");
        Assert.Equal(sentBefore + 1, wire.Sent.Count);
    }

    [Fact]
    public async Task A_short_rate_limit_wait_is_honoured_then_the_call_succeeds()
    {
        var (client, wire) = await fixture.NewClientAsync();
        wire.Next(RecordingHandler.Fault.Answer(HttpStatusCode.TooManyRequests, "1",
            """{"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Rate limit exceeded; retry in 1 seconds"}}"""));
        var watch = Stopwatch.StartNew();

        var page = await client.Channels.ListAsync();

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"retried after {watch.Elapsed}");
        Assert.Equal(0, page.Total);
        Assert.Equal(2, wire.Sent.Count);
    }

    [Fact]
    public async Task An_answer_outside_the_envelope_is_raised_as_unexpected_without_retrying()
    {
        var (client, wire) = await fixture.NewClientAsync();
        wire.Next(RecordingHandler.Fault.Answer(HttpStatusCode.BadGateway, body: "<html>Bad gateway</html>", contentType: "text/html"));

        var error = await Assert.ThrowsAsync<InterflowApiException>(() => client.Chats.ListAsync());

        Assert.Equal((HttpStatusCode.BadGateway, InterflowApiException.UnexpectedResponse), (error.Status, error.Code));
        Assert.Contains("Bad gateway", error.Message);
        Assert.Single(wire.Sent);
    }

    private static async Task<SentRequest> GetWithWireAsync(InterflowClient client, RecordingHandler wire)
    {
        await client.Customers.ListAsync();
        return wire.Sent.Last();
    }
}
