using Interflow.TestServer;

namespace Interflow.Api.Tests;

public sealed class LanguageTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    [Theory]
    [InlineData(null, "O campo 'name' é obrigatório", "Campo obrigatório")]
    [InlineData("pt-BR", "O campo 'name' é obrigatório", "Campo obrigatório")]
    [InlineData("en", "The field 'name' is required", "Field is required")]
    [InlineData("en-US,en;q=0.9", "The field 'name' is required", "Field is required")]
    [InlineData("fr, en;q=0.5", "The field 'name' is required", "Field is required")]
    [InlineData("en;q=0.4, pt-BR;q=0.8", "O campo 'name' é obrigatório", "Campo obrigatório")]
    [InlineData("de", "O campo 'name' é obrigatório", "Campo obrigatório")]
    public async Task Messages_follow_accept_language(string? acceptLanguage, string message, string detail)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", new { email = "a@example.com" }, r =>
        {
            if (acceptLanguage is not null)
            {
                r.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            }
        });

        Assert.Equal(message, response.ErrorMessage);
        Assert.Equal([("name", detail)], response.Details);
    }

    [Fact]
    public async Task Every_error_class_speaks_both_languages()
    {
        using var client = await fixture.NewClientAsync();
        using var anonymous = fixture.Server.CreateClient();
        void English(HttpRequestMessage r) => r.Headers.Add("Accept-Language", "en");

        Assert.Equal("Missing API key: send the header 'Authorization: Bearer <api_key>'", (await anonymous.GetApiAsync("v1/customers", English)).ErrorMessage);
        Assert.StartsWith("Chave de API ausente", (await anonymous.GetApiAsync("v1/customers")).ErrorMessage);
        Assert.Equal("Resource not found", (await client.GetApiAsync("v1/customers/cust_x", English)).ErrorMessage);
        Assert.Equal("Recurso não encontrado", (await client.GetApiAsync("v1/customers/cust_x")).ErrorMessage);
        Assert.StartsWith("Route not found", (await client.GetApiAsync("v1/x", English)).ErrorMessage);
        Assert.StartsWith("The request body is not valid JSON", (await client.PostApiAsync("v1/customers", "{", English)).ErrorMessage);
        Assert.StartsWith("O corpo da requisição não é um JSON válido", (await client.PostApiAsync("v1/customers", "{")).ErrorMessage);
    }
}
