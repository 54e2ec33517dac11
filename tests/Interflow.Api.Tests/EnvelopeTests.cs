using System.Net;
using System.Text.Json;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

/// <summary>The response shapes of the seed, byte for byte where the seed is specific.</summary>
public sealed class EnvelopeTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    [Fact]
    public async Task Created_customer_has_the_seed_shape()
    {
        using var client = await fixture.NewClientAsync();
        var response = await client.PostApiAsync("v1/customers", new
        {
            name = "João Silva",
            email = "joao@email.com",
            phone = "5511999999999",
            tags = new[] { "vip", "newsletter" },
            custom_fields = new { empresa = "Empresa XYZ", cargo = "Gerente" },
        });

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(["success", "data"], response.Body.EnumerateObject().Select(p => p.Name));
        Assert.True(response.Body.GetProperty("success").GetBoolean());
        var data = response.Data;
        Assert.Equal(["id", "name", "email", "phone", "tags", "custom_fields", "created_at", "updated_at"], data.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("cust_", data.GetProperty("id").GetString());
        Assert.Equal("João Silva", data.GetProperty("name").GetString());
        Assert.Equal("joao@email.com", data.GetProperty("email").GetString());
        Assert.Equal("5511999999999", data.GetProperty("phone").GetString());
        Assert.Equal(["vip", "newsletter"], data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Empresa XYZ", data.GetProperty("custom_fields").GetProperty("empresa").GetString());
        Assert.Equal("Gerente", data.GetProperty("custom_fields").GetProperty("cargo").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", data.GetProperty("created_at").GetString());
        Assert.Equal("application/json; charset=utf-8", response.ContentHeaders.ContentType!.ToString());
    }

    [Fact]
    public async Task List_carries_meta_with_page_per_page_and_total()
    {
        using var client = await fixture.NewClientAsync();
        await client.CreateCustomerIdAsync();

        var response = await client.GetApiAsync("v1/customers");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["success", "data", "meta"], response.Body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, response.Data.ValueKind);
        var meta = response.Body.GetProperty("meta");
        Assert.Equal(["page", "per_page", "total"], meta.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, meta.GetProperty("page").GetInt32());
        Assert.Equal(20, meta.GetProperty("per_page").GetInt32());
        Assert.Equal(1, meta.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Error_has_the_seed_shape_with_details()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", new { name = "Maria", phone = ApiCalls.UniquePhone(), email = 42 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["success", "error"], response.Body.EnumerateObject().Select(p => p.Name));
        Assert.False(response.Body.GetProperty("success").GetBoolean());
        Assert.Equal(["code", "message", "details"], response.Body.GetProperty("error").EnumerateObject().Select(p => p.Name));
        Assert.Equal("VALIDATION_ERROR", response.ErrorCode);
        Assert.Equal([("email", "Deve ser um texto")], response.Details);
        Assert.Equal("application/json; charset=utf-8", response.ContentHeaders.ContentType!.ToString());
    }

    [Fact]
    public async Task Missing_required_field_reads_as_in_the_seed()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", new { phone = ApiCalls.UniquePhone() });

        Assert.Equal("O campo 'name' é obrigatório", response.ErrorMessage);
        Assert.Equal([("name", "Campo obrigatório")], response.Details);
    }

    [Fact]
    public async Task Request_id_is_echoed_or_generated()
    {
        using var client = await fixture.NewClientAsync();

        var echoed = await client.GetApiAsync("v1/customers", r => r.Headers.Add("X-Request-Id", "my-trace-123"));
        var generated = await client.GetApiAsync("v1/customers");
        var onError = await client.GetApiAsync("v1/nothing-here");

        Assert.Equal("my-trace-123", echoed.Header("X-Request-Id"));
        Assert.StartsWith("req_", generated.Header("X-Request-Id"));
        Assert.StartsWith("req_", onError.Header("X-Request-Id"));
    }
}
