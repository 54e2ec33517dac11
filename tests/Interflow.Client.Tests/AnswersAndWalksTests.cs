using System.Net;

namespace Interflow.Client.Tests;

/// <summary>What the client shows of each answer, the base URL however it is written, and walks that never skip an item.</summary>
public sealed class AnswersAndWalksTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/v1")]
    [InlineData("/v1/")]
    public async Task The_base_url_works_as_the_reference_writes_it_with_or_without_v1(string suffix)
    {
        var baseAddress = new Uri(fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/') + suffix);
        var (client, wire) = await fixture.NewClientAsync(configure: o => o.BaseAddress = baseAddress);
        var direct = new InterflowClient(new HttpClient(wire), new InterflowClientOptions { ApiKey = "ifk_test_unused", BaseAddress = baseAddress });

        var page = await client.Customers.ListAsync();
        await Assert.ThrowsAsync<InterflowApiException>(() => direct.Customers.ListAsync());

        Assert.Empty(page.Items);
        Assert.All(wire.Sent, request => Assert.StartsWith("/v1/customers", request.PathAndQuery));
    }

    [Fact]
    public async Task Every_result_carries_its_answer_the_request_id_status_rate_limit_and_replay()
    {
        var (client, _) = await fixture.NewClientAsync();
        var channel = await client.Channels.CreateAsync(NewChannel.Sandbox("Loja"));

        var opened = await client.Chats.OpenAsync(new NewChat(channel.Id, Phone: "5511987650021"));
        var found = await client.Chats.OpenAsync(new NewChat(channel.Id, Phone: "5511987650021"));
        var first = await client.Customers.CreateAsync(new NewCustomer("Ana", Phone: "5511987650022"), idempotencyKey: "order-21");
        var replayed = await client.Customers.CreateAsync(new NewCustomer("Ana", Phone: "5511987650022"), idempotencyKey: "order-21");
        var page = await client.Customers.ListAsync();

        Assert.Equal(HttpStatusCode.Created, opened.LastResponse!.StatusCode);
        Assert.Equal(HttpStatusCode.OK, found.LastResponse!.StatusCode);
        Assert.Equal(opened.Id, found.Id);
        Assert.StartsWith("req_", first.LastResponse!.RequestId);
        Assert.NotEqual(first.LastResponse.RequestId, replayed.LastResponse!.RequestId);
        Assert.False(first.LastResponse.IdempotentReplayed);
        Assert.True(replayed.LastResponse.IdempotentReplayed);
        Assert.Equal((first.Id, first.ETag), (replayed.Id, replayed.ETag));
        Assert.Equal(1000, page.LastResponse!.RateLimit!.Limit);
        Assert.InRange(page.LastResponse.RateLimit.Remaining, 0, 994);
        Assert.InRange(page.LastResponse.RateLimit.Reset, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1.1));
        Assert.Null(page.Items.Single(c => c.Id == first.Id).LastResponse);
    }

    [Fact]
    public async Task Every_customer_that_stays_comes_once_from_list_all_while_others_are_deleted_and_added()
    {
        var (client, _) = await fixture.NewClientAsync();
        var tag = $"walk{Guid.NewGuid():N}"[..20];
        var created = new List<string>();
        for (var i = 0; i < 230; i++)
        {
            created.Add((await client.Customers.CreateAsync(new NewCustomer($"Cliente {i}", Phone: Phone(i), Tags: [tag]))).Id);
        }
        var deleted = new HashSet<string>();
        var listed = new List<string>();

        await foreach (var customer in client.Customers.ListAllAsync(new CustomerFilter(Tag: tag)))
        {
            listed.Add(customer.Id);
            if (listed.Count == 50)
            {
                // Twenty already listed go, and two come: numbered pages would now start twenty items later.
                foreach (var id in listed.Take(20))
                {
                    await client.Customers.DeleteAsync(id);
                    deleted.Add(id);
                }
                await client.Customers.CreateAsync(new NewCustomer("Nova", Phone: Phone(1000), Tags: [tag]));
                await client.Customers.CreateAsync(new NewCustomer("Nova", Phone: Phone(1001), Tags: [tag]));
            }
        }

        Assert.Equal(created.Where(id => !deleted.Contains(id)).Order(), listed.Where(id => !deleted.Contains(id)).Order());
        Assert.Equal(listed.Count, listed.Distinct().Count());
        string Phone(int i) => $"55119{Random.Shared.Next(1000, 9999)}{i:D4}";
    }
}
