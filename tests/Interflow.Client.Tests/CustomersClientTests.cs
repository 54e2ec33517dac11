using System.Net;

namespace Interflow.Client.Tests;

public sealed class CustomersClientTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    [Fact]
    public async Task Create_get_update_with_etag_and_delete_round_trip_typed_values()
    {
        var (client, _) = await fixture.NewClientAsync();

        var created = await client.Customers.CreateAsync(new NewCustomer("João Silva", "joao@email.com", "+5511999999999", ["vip"],
            new Dictionary<string, object> { ["empresa"] = "Empresa XYZ", ["pedidos"] = 3, ["ativo"] = true }));
        var read = await client.Customers.GetAsync(created.Id);
        var updated = await client.Customers.UpdateAsync(created.Id,
            new CustomerChanges(Tags: ["vip", "newsletter"], CustomFields: new Dictionary<string, object?> { ["pedidos"] = null, ["cargo"] = "Gerente" }), ifMatch: read.ETag);
        var stale = await Assert.ThrowsAsync<InterflowApiException>(() => client.Customers.UpdateAsync(created.Id, new CustomerChanges(Name: "J."), ifMatch: read.ETag));
        var deleted = await client.Customers.DeleteAsync(created.Id);
        var gone = await Assert.ThrowsAsync<InterflowApiException>(() => client.Customers.GetAsync(created.Id));

        Assert.Equal("5511999999999", created.Phone);
        Assert.Equal(3, read.CustomFields["pedidos"].GetInt32());
        Assert.True(read.CustomFields["ativo"].GetBoolean());
        Assert.NotNull(read.ETag);
        Assert.Equal(["vip", "newsletter"], updated.Tags);
        Assert.Equal(["ativo", "cargo", "empresa"], updated.CustomFields.Keys.Order());
        Assert.NotEqual(read.ETag, updated.ETag);
        Assert.Equal((HttpStatusCode.PreconditionFailed, "PRECONDITION_FAILED"), (stale.Status, stale.Code));
        Assert.Equal(new Deleted(created.Id, true), deleted);
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (gone.Status, gone.Code));
        Assert.NotNull(gone.RequestId);
    }

    [Fact]
    public async Task Invalid_request_raises_every_field_error_in_the_chosen_language_without_retrying()
    {
        var (client, wire) = await fixture.NewClientAsync(configure: o => o.Language = "en");

        var error = await Assert.ThrowsAsync<InterflowApiException>(() =>
            client.Customers.CreateAsync(new NewCustomer("", "not-an-email", "123", [""])));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "VALIDATION_ERROR"), (error.Status, error.Code));
        Assert.Equal(["email", "name", "phone", "tags[0]"], error.Details.Select(d => d.Field).Order());
        Assert.Contains("invalid", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(wire.Sent);
    }

    [Fact]
    public async Task Pages_and_the_async_enumeration_walk_every_match_once()
    {
        var (client, _) = await fixture.NewClientAsync();
        for (var i = 0; i < 230; i++)
        {
            await client.Customers.CreateAsync(new NewCustomer($"Cliente {i}", $"c{i}@example.com", Tags: [i % 2 == 0 ? "par" : "impar"]));
        }

        var first = await client.Customers.ListAsync(new CustomerFilter(Tag: "par"), page: 1, perPage: 50);
        var all = await client.Customers.ListAllAsync(new CustomerFilter(Tag: "par")).ToListAsync();
        var byEmail = await client.Customers.ListAsync(new CustomerFilter(Email: "C7@EXAMPLE.COM"));

        Assert.Equal((50, 1, 50, 115, true), (first.Items.Count, first.PageNumber, first.PerPage, first.Total, first.HasMore));
        Assert.Equal(115, all.Select(c => c.Id).Distinct().Count());
        Assert.All(all, c => Assert.Equal(["par"], c.Tags));
        Assert.Equal("c7@example.com", Assert.Single(byEmail.Items).Email);
    }
}
