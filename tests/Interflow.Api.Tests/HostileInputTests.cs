using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

/// <summary>Bodies that are not valid UTF-8, strings with control characters or unpaired surrogates, repeated properties: a clear 4xx, and nothing stored.</summary>
public sealed class HostileInputTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    private static readonly byte[] NotUtf8 = [0xFF, 0xFE];

    /// <summary>A JSON text with raw bytes spliced in where <c>@@</c> stands.</summary>
    private static byte[] Splice(string json, byte[] bytes)
    {
        var at = json.IndexOf("@@", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. bytes, .. Encoding.UTF8.GetBytes(json[(at + 2)..])];
    }

    private static async Task<ApiResponse> SendBytesAsync(HttpClient client, HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, JsonDocument.Parse(raw).RootElement.Clone(), raw);
    }

    private static async Task<string> ChannelAsync(HttpClient client) =>
        (await client.PostApiAsync("v1/channels", new { name = "Loja", kind = "sandbox" })).Data.GetProperty("id").GetString()!;

    /// <summary>How many items a list holds: <c>meta.total</c> where the list is paged, else its length.</summary>
    private static async Task<int> TotalAsync(HttpClient client, string path)
    {
        var list = await client.GetApiAsync(path);
        return list.Body.TryGetProperty("meta", out var meta) ? meta.GetProperty("total").GetInt32() : list.Data.GetArrayLength();
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_400_with_where_on_every_writing_route_and_nothing_is_stored()
    {
        using var client = await fixture.NewClientAsync();
        var channelId = await ChannelAsync(client);
        var customer = await client.PostApiAsync("v1/customers", ApiCalls.NewCustomer());
        var customerId = customer.Data.GetProperty("id").GetString()!;
        var cases = new (HttpMethod Method, string Path, string Json)[]
        {
            (HttpMethod.Post, "v1/customers", """{"name":"@@","phone":"5511987650001"}"""),
            (HttpMethod.Put, $"v1/customers/{customerId}", """{"name":"@@"}"""),
            (HttpMethod.Post, "v1/channels", """{"name":"@@","kind":"sandbox"}"""),
            (HttpMethod.Post, "v1/messages/send", $$$"""{"channel_id":"{{{channelId}}}","to":"5511987650002","type":"text","content":{"text":"Olá @@"}}"""),
            (HttpMethod.Post, "v1/webhooks", """{"url":"https://example.com/@@","events":["*"]}"""),
        };

        foreach (var (method, path, json) in cases)
        {
            var body = Splice(json, NotUtf8);
            var at = Array.IndexOf(body, (byte)0xFF);

            var response = await SendBytesAsync(client, method, path, body);

            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("INVALID_JSON", response.ErrorCode);
            Assert.Equal($"O corpo da requisição não é UTF-8 válido: byte inválido na posição {at} (linha 1, coluna {at + 1})", response.ErrorMessage);
        }
        Assert.Equal(1, await TotalAsync(client, "v1/customers"));
        Assert.Equal(1, await TotalAsync(client, "v1/channels"));
        Assert.Equal(0, await TotalAsync(client, "v1/chats"));
        Assert.Equal(0, await TotalAsync(client, "v1/webhooks"));
        Assert.Equal(customer.Data.GetProperty("name").GetString(), (await client.GetApiAsync($"v1/customers/{customerId}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_position_of_bad_utf8_counts_lines_and_english_is_available()
    {
        using var client = await fixture.NewClientAsync();
        var body = Splice("{\n  \"name\": \"ok\",\n  \"email\": \"a@@b.com\"\n}", [0xC3, 0x28]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/customers") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.AcceptLanguage.ParseAdd("en");

        using var response = await client.SendAsync(request);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The request body is not valid UTF-8: invalid byte at offset 31 (line 3, column 14)", error.GetProperty("message").GetString());
    }

    public static TheoryData<string, string, string> RefusedStrings => new()
    {
        { """{"name":"\u0000","email":"z@z.z"}""", "name", "U+0000" },
        { """{"name":"Ana\u001fMaria","email":"z@z.z"}""", "name", "U+001F" },
        { """{"name":"Ana\u007f","email":"z@z.z"}""", "name", "U+007F" },
        { """{"name":"Ana\tMaria","email":"z@z.z"}""", "name", "U+0009" },
        { """{"name":"Ana","email":"z@z.z","tags":["ok","v\nip"]}""", "tags[1]", "U+000A" },
        { """{"name":"Ana","email":"z@z.z","custom_fields":{"cargo":"Ger\u0007ente"}}""", "custom_fields.cargo", "U+0007" },
        { """{"name":"Ana","email":"z@z.z","custom_fields":{"car\u0000go":"x"}}""", "custom_fields.car\u0000go", "U+0000" },
    };

    [Theory]
    [MemberData(nameof(RefusedStrings))]
    public async Task Control_characters_in_stored_strings_are_422_naming_the_field(string json, string field, string code)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("VALIDATION_ERROR", response.ErrorCode);
        var detail = Assert.Single(response.Details);
        Assert.Equal(field, detail.Field);
        Assert.Contains(code, detail.Message, StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsync(client, "v1/customers"));
    }

    [Theory]
    [InlineData("""{"name":"\ud800","email":"z@z.z"}""", "name")]
    [InlineData("""{"name":"x\udc00y","email":"z@z.z"}""", "name")]
    [InlineData("""{"name":"Ana","email":"z@z.z","custom_fields":{"\ud83d":"x"}}""", "custom_fields")]
    [InlineData("""{"name":"Ana","email":"z@z.z","tags":["\ude00"]}""", "tags[0]")]
    public async Task Unpaired_surrogates_are_422_naming_the_field(string json, string field)
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal([(field, "Contém um caractere Unicode inválido (surrogate UTF-16 sem par)")], response.Details);
        Assert.Equal(0, await TotalAsync(client, "v1/customers"));
    }

    [Fact]
    public async Task A_valid_surrogate_pair_is_stored_as_sent()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", """{"name":"Ana \ud83d\ude00","email":"emoji@z.z"}""");

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("Ana 😀", response.Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Message_text_and_captions_accept_tab_and_line_breaks_but_no_other_control_character()
    {
        using var client = await fixture.NewClientAsync();
        var channelId = await ChannelAsync(client);
        string Send(string type, string content) =>
            $$"""{"channel_id":"{{channelId}}","to":"{{ApiCalls.UniquePhone()}}","type":"{{type}}","content":{{content}}}""";

        var multiline = await client.PostApiAsync("v1/messages/send", Send("text", """{"text":"Olá\tJoão,\nseu pedido\r\nsaiu."}"""));
        var caption = await client.PostApiAsync("v1/messages/send", Send("image", """{"url":"https://example.com/a.png","caption":"linha 1\nlinha 2"}"""));
        var bell = await client.PostApiAsync("v1/messages/send", Send("text", """{"text":"Olá\u0007"}"""));
        var loneCr = await client.PostApiAsync("v1/messages/send", Send("text", """{"text":"Olá\rJoão"}"""));
        var variable = await client.PostApiAsync("v1/messages/send", Send("template", """{"name":"pedido","language":"pt_BR","variables":["João\nSilva"]}"""));
        var metadata = await client.PostApiAsync("v1/messages/send",
            $$$$"""{"channel_id":"{{{{channelId}}}}","to":"{{{{ApiCalls.UniquePhone()}}}}","type":"text","content":{"text":"oi"},"metadata":{"crm":{"ref":"a\u0000b"}}}""");

        Assert.Equal(HttpStatusCode.Created, multiline.Status);
        Assert.Equal("Olá\tJoão,\nseu pedido\r\nsaiu.", multiline.Data.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.Created, caption.Status);
        Assert.Equal("content.text", Assert.Single(bell.Details).Field);
        Assert.Equal("content.text", Assert.Single(loneCr.Details).Field);
        Assert.Equal("content.variables[0]", Assert.Single(variable.Details).Field);
        Assert.Equal("metadata.crm.ref", Assert.Single(metadata.Details).Field);
        Assert.Equal(2, (await client.GetApiAsync("v1/chats")).Body.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Webhook_and_channel_strings_are_checked_too()
    {
        using var client = await fixture.NewClientAsync();

        var webhook = await client.PostApiAsync("v1/webhooks", """{"url":"https://example.com/hooks","events":["*"],"description":"CRM\u0001"}""");
        var channel = await client.PostApiAsync("v1/channels", """{"name":"Loja\u0000","kind":"sandbox"}""");

        Assert.Equal(("description", HttpStatusCode.UnprocessableEntity), (Assert.Single(webhook.Details).Field, webhook.Status));
        Assert.Equal(("name", HttpStatusCode.UnprocessableEntity), (Assert.Single(channel.Details).Field, channel.Status));
        Assert.Equal(0, await TotalAsync(client, "v1/webhooks"));
        Assert.Equal(0, await TotalAsync(client, "v1/channels"));
    }

    [Fact]
    public async Task A_repeated_property_is_400_naming_it()
    {
        using var client = await fixture.NewClientAsync();

        var response = await client.PostApiAsync("v1/customers", """{"name":"Ana","email":"a@z.z","custom_fields":{"k":1,"k":2}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("INVALID_JSON", response.ErrorCode);
        Assert.Equal("O corpo da requisição repete a propriedade 'custom_fields.k'", response.ErrorMessage);
        Assert.Equal(0, await TotalAsync(client, "v1/customers"));
    }

    [Fact]
    public async Task Deep_nesting_is_400_and_a_byte_order_mark_is_tolerated()
    {
        using var client = await fixture.NewClientAsync();
        var deep = $$$"""{"name":"Ana","email":"d@z.z","custom_fields":{"k":{{{new string('[', 100)}}}{{{new string(']', 100)}}}}}""";

        var nested = await client.PostApiAsync("v1/customers", deep);
        var withBom = await SendBytesAsync(client, HttpMethod.Post, "v1/customers",
            [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"name":"Ana","email":"bom@z.z"}""")]);

        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_JSON"), (nested.Status, nested.ErrorCode));
        Assert.Equal(HttpStatusCode.Created, withBom.Status);
        Assert.Equal(1, await TotalAsync(client, "v1/customers"));
    }
}
