using System.Net;
using System.Text.Json;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

public sealed class CustomerTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    [Fact]
    public async Task Create_then_get_returns_the_same_customer_with_an_etag()
    {
        using var client = await fixture.NewClientAsync();
        var created = await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer());
        var id = created.Data.GetProperty("id").GetString();

        var fetched = await client.GetApiAsync($"v1/customers/{id}");

        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal(created.Data.ToString(), fetched.Data.ToString());
        Assert.Equal(created.Headers.ETag, fetched.Headers.ETag);
        Assert.NotNull(fetched.Headers.ETag);
    }

    [Fact]
    public async Task Phone_with_plus_is_stored_as_digits_and_email_alone_is_enough()
    {
        using var client = await fixture.NewClientAsync();

        var withPlus = await client.PostApiAsync("v1/customers", new { name = "A", phone = "+55 11 98765 4321".Replace(" ", "") });
        var emailOnly = await client.PostApiAsync("v1/customers", new { name = "B", email = "b@example.com" });

        Assert.Equal("5511987654321", withPlus.Data.GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.Created, emailOnly.Status);
        Assert.Equal(JsonValueKind.Null, emailOnly.Data.GetProperty("phone").ValueKind);
        Assert.Empty(emailOnly.Data.GetProperty("tags").EnumerateArray());
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { """{"phone":"5511987654321"}""", "name", "Campo obrigatório" },
        { """{"name":null,"phone":"5511987654321"}""", "name", "Não pode ser nulo" },
        { """{"name":"   ","phone":"5511987654321"}""", "name", "Deve ter no mínimo 1 caractere(s)" },
        { $$"""{"name":"{{new string('n', 201)}}","phone":"5511987654321"}""", "name", "Deve ter no máximo 200 caracteres" },
        { """{"name":7,"phone":"5511987654321"}""", "name", "Deve ser um texto" },
        { """{"name":"A"}""", "email", "Informe ao menos um destes campos: email, phone" },
        { """{"name":"A","email":null,"phone":null}""", "email", "Informe ao menos um destes campos: email, phone" },
        { """{"name":"A","email":"not-an-email"}""", "email", "E-mail inválido" },
        { """{"name":"A","email":"a@b"}""", "email", "E-mail inválido" },
        { """{"name":"A","email":"Ana <a@b.com>"}""", "email", "E-mail inválido" },
        { """{"name":"A","phone":"123"}""", "phone", "Telefone inválido: use um número real no formato E.164 sem '+', ex.: 5511999999999" },
        { """{"name":"A","phone":"5511abc54321"}""", "phone", "Telefone inválido: use um número real no formato E.164 sem '+', ex.: 5511999999999" },
        { """{"name":"A","phone":"999999999999"}""", "phone", "Telefone inválido: use um número real no formato E.164 sem '+', ex.: 5511999999999" },
        { """{"name":"A","phone":5511987654321}""", "phone", "Deve ser um texto" },
        { """{"name":"A","phone":"5511987654321","tags":"vip"}""", "tags", "Deve ser uma lista" },
        { """{"name":"A","phone":"5511987654321","tags":["ok",""]}""", "tags[1]", "Deve ter no mínimo 1 caractere(s)" },
        { """{"name":"A","phone":"5511987654321","tags":["ok",3]}""", "tags[1]", "Deve ser um texto" },
        { $$"""{"name":"A","phone":"5511987654321","tags":["{{new string('t', 51)}}"]}""", "tags[0]", "Deve ter no máximo 50 caracteres" },
        { $$"""{"name":"A","phone":"5511987654321","tags":[{{string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"t{i}\""))}}]}""", "tags", "Deve ter no máximo 50 itens" },
        { """{"name":"A","phone":"5511987654321","custom_fields":[]}""", "custom_fields", "Deve ser um objeto" },
        { """{"name":"A","phone":"5511987654321","custom_fields":{"k":{"x":1}}}""", "custom_fields.k", "Deve ser texto, número ou booleano" },
        { """{"name":"A","phone":"5511987654321","custom_fields":{"k":[1]}}""", "custom_fields.k", "Deve ser texto, número ou booleano" },
        { "{\"name\":\"A\",\"phone\":\"5511987654321\",\"custom_fields\":{\"k\":\"" + new string('v', 1001) + "\"}}", "custom_fields.k", "Deve ter no máximo 1000 caracteres" },
        { """{"name":"A","phone":"5511987654321","custom_fields":{""" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"k{i}\":1")) + "}}", "custom_fields", "Deve ter no máximo 50 itens" },
        { """{"name":"A","phone":"5511987654321","nmae":"typo"}""", "nmae", "Campo desconhecido" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Each_invalid_field_is_reported_and_nothing_is_stored(string body, string field, string message)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("VALIDATION_ERROR", response.ErrorCode);
        Assert.Equal([(field, message)], response.Details);
        Assert.Equal(0, (await client.GetApiAsync("v1/customers")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", """
            {"name":"","email":"x","phone":"1","tags":[1,"ok",""],"custom_fields":{"a":{}},"extra":true}
            """);

        Assert.Equal(["name", "email", "phone", "tags[0]", "tags[2]", "custom_fields.a", "extra"], response.Details.Select(d => d.Field));
        Assert.Equal("A requisição contém 7 campos inválidos", response.ErrorMessage);
    }

    [Fact]
    public async Task Email_and_phone_are_unique_per_account_and_environment()
    {
        using var client = await fixture.NewClientAsync();
        var phone = ApiCalls.UniquePhone();
        await client.CreateCustomerIdAsync(new { name = "A", email = "Dup@Example.com", phone });

        var sameEmail = await client.PostApiAsync("v1/customers", new { name = "B", email = "dup@example.COM" });
        var samePhone = await client.PostApiAsync("v1/customers", new { name = "C", phone = "+" + phone });

        Assert.Equal(HttpStatusCode.Conflict, sameEmail.Status);
        Assert.Equal("CONFLICT", sameEmail.ErrorCode);
        Assert.Equal("email", sameEmail.Details.Single().Field);
        Assert.Equal(HttpStatusCode.Conflict, samePhone.Status);
        Assert.Equal("phone", samePhone.Details.Single().Field);
        using var otherAccount = await fixture.NewClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await otherAccount.PostApiAsync("v1/customers", new { name = "D", email = "dup@example.com", phone })).Status);
    }

    [Fact]
    public async Task Update_replaces_present_fields_keeps_absent_ones_and_merges_custom_fields()
    {
        using var client = await fixture.NewClientAsync();
        var id = await client.CreateCustomerIdAsync();
        var before = (await client.GetApiAsync($"v1/customers/{id}")).Data;

        var updated = await client.PutApiAsync($"v1/customers/{id}", new Dictionary<string, object?>
        {
            ["name"] = "João S.",
            ["tags"] = new[] { "gold" },
            ["custom_fields"] = new Dictionary<string, object?> { ["cargo"] = null, ["nivel"] = 3, ["ativo"] = true },
        });

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        var data = updated.Data;
        Assert.Equal("João S.", data.GetProperty("name").GetString());
        Assert.Equal(before.GetProperty("email").GetString(), data.GetProperty("email").GetString());
        Assert.Equal(before.GetProperty("phone").GetString(), data.GetProperty("phone").GetString());
        Assert.Equal(["gold"], data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("""{"empresa":"Empresa XYZ","nivel":3,"ativo":true}""", data.GetProperty("custom_fields").GetRawText());
        Assert.Equal(data.ToString(), (await client.GetApiAsync($"v1/customers/{id}")).Data.ToString());
    }

    [Fact]
    public async Task Update_cannot_remove_both_contact_fields_or_take_anothers_email()
    {
        using var client = await fixture.NewClientAsync();
        var taken = $"taken.{Guid.NewGuid():N}@example.com";
        await client.CreateCustomerIdAsync(new { name = "A", email = taken });
        var id = await client.CreateCustomerIdAsync(new { name = "B", email = "b." + taken });

        var noContact = await client.PutApiAsync($"v1/customers/{id}", new Dictionary<string, object?> { ["email"] = null });
        var stolen = await client.PutApiAsync($"v1/customers/{id}", new { email = taken.ToUpperInvariant() });
        var badTypes = await client.PutApiAsync($"v1/customers/{id}", new Dictionary<string, object?> { ["name"] = null, ["tags"] = 1 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noContact.Status);
        Assert.Equal(HttpStatusCode.Conflict, stolen.Status);
        Assert.Equal(["name", "tags"], badTypes.Details.Select(d => d.Field));
        Assert.Equal("b." + taken, (await client.GetApiAsync($"v1/customers/{id}")).Data.GetProperty("email").GetString());
    }

    [Fact]
    public async Task If_match_guards_updates_with_412()
    {
        using var client = await fixture.NewClientAsync();
        var id = await client.CreateCustomerIdAsync();
        var etag = (await client.GetApiAsync($"v1/customers/{id}")).Headers.ETag!.Tag;

        var first = await client.PutApiAsync($"v1/customers/{id}", new { name = "First" }, r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        var stale = await client.PutApiAsync($"v1/customers/{id}", new { name = "Stale" }, r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        var fresh = await client.PutApiAsync($"v1/customers/{id}", new { name = "Fresh" }, r => r.Headers.TryAddWithoutValidation("If-Match", first.Headers.ETag!.Tag));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotEqual(etag, first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal("PRECONDITION_FAILED", stale.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal("Fresh", (await client.GetApiAsync($"v1/customers/{id}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Concurrent_updates_never_lose_a_write()
    {
        using var client = await fixture.NewClientAsync();
        var id = await client.CreateCustomerIdAsync();
        const int writers = 12;

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            client.PutApiAsync($"v1/customers/{id}", new { custom_fields = new Dictionary<string, object> { [$"k{i}"] = i } })));

        var fields = (await client.GetApiAsync($"v1/customers/{id}")).Data.GetProperty("custom_fields");
        var succeeded = responses.Count(r => r.Status == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.Contains(r.Status, new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }));
        Assert.True(succeeded >= writers / 2, $"only {succeeded} of {writers} writers succeeded");
        // Every write that was acknowledged is in the final record.
        for (var i = 0; i < writers; i++)
        {
            Assert.Equal(responses[i].Status == HttpStatusCode.OK, fields.TryGetProperty($"k{i}", out _));
        }
    }

    [Fact]
    public async Task Delete_answers_id_and_deleted_then_404_and_frees_the_email()
    {
        using var client = await fixture.NewClientAsync();
        var email = $"gone.{Guid.NewGuid():N}@example.com";
        var id = await client.CreateCustomerIdAsync(new { name = "A", email });

        var deleted = await client.DeleteApiAsync($"v1/customers/{id}");
        var again = await client.DeleteApiAsync($"v1/customers/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal($$"""{"id":"{{id}}","deleted":true}""", deleted.Data.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetApiAsync($"v1/customers/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal(HttpStatusCode.Created, (await client.PostApiAsync("v1/customers", new { name = "B", email })).Status);
    }

    [Fact]
    public async Task List_is_newest_first_and_paginates_with_total()
    {
        using var client = await fixture.NewClientAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateCustomerIdAsync());
        }

        var first = await client.GetApiAsync("v1/customers?per_page=2");
        var third = await client.GetApiAsync("v1/customers?per_page=2&page=3");
        var beyond = await client.GetApiAsync("v1/customers?per_page=2&page=9");

        ids.Reverse();
        Assert.Equal(ids.Take(2), first.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(ids.Skip(4), third.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Empty(beyond.Data.EnumerateArray());
        foreach (var page in new[] { first, third, beyond })
        {
            Assert.Equal(5, page.Body.GetProperty("meta").GetProperty("total").GetInt32());
            Assert.Equal(2, page.Body.GetProperty("meta").GetProperty("per_page").GetInt32());
        }
        Assert.Equal(3, third.Body.GetProperty("meta").GetProperty("page").GetInt32());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=x", "page")]
    [InlineData("per_page=0", "per_page")]
    [InlineData("per_page=101", "per_page")]
    [InlineData("per_page=1.5", "per_page")]
    [InlineData("phone=123", "phone")]
    [InlineData("search=", "search")]
    public async Task Bad_list_parameters_are_422(string query, string field)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.GetApiAsync($"v1/customers?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(field, response.Details.Single().Field);
    }

    [Fact]
    public async Task Filters_match_search_tag_email_and_phone()
    {
        using var client = await fixture.NewClientAsync();
        var phone = ApiCalls.UniquePhone();
        var maria = await client.CreateCustomerIdAsync(new { name = "MARIA Conceição", email = "maria@LOJA.com", tags = new[] { "vip" } });
        var jose = await client.CreateCustomerIdAsync(new { name = "José", phone, tags = new[] { "lead", "vip" } });
        await client.CreateCustomerIdAsync(new { name = "Pedro", email = "pedro@outra.com", tags = new[] { "lead" } });

        async Task<string[]> Ids(string query) =>
            (await client.GetApiAsync($"v1/customers?{query}")).Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order().ToArray();

        Assert.Equal([maria], await Ids("search=conceição"));
        Assert.Equal([maria], await Ids("search=loja.COM"));
        Assert.Equal([jose], await Ids($"search={phone[4..9]}"));
        Assert.Equal(new[] { maria, jose }.Order(), await Ids("tag=vip"));
        Assert.Equal([maria], await Ids("email=MARIA@loja.com"));
        Assert.Equal([jose], await Ids($"phone=%2B{phone}"));
        Assert.Equal([jose], await Ids("tag=vip&search=jos"));
        Assert.Empty(await Ids("search=100%25"));
        Assert.Equal(2, (await client.GetApiAsync("v1/customers?tag=vip&per_page=1")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }
}
