using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Api.Http;
using Interflow.Api.OpenApi;
using Interflow.Core.Events;
using Interflow.TestServer;
using Microsoft.OpenApi;

namespace Interflow.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI documents generated from the route table: valid OpenAPI 3.1 (read back by Microsoft.OpenApi), every
/// route in the right document with what the contract promises, examples that fit their own schemas, and the public
/// one served without a key. (That docs/openapi.json is the generated one: tests/Interflow.Functions.Tests.)
/// </summary>
public sealed class OpenApiDocumentTests(InterflowServerFixture fixture) : IClassFixture<InterflowServerFixture>
{
    public static TheoryData<string> Documents => new() { "public", "internal" };

    private static string Text(string document) => document == "public" ? OpenApiDocuments.Public : OpenApiDocuments.Internal;

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_reads_back_as_valid_OpenAPI_3_1(string document)
    {
        var read = OpenApiDocument.Parse(Text(document), "json");

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        var routes = ApiRouteTable.All.Where(r => r.IsPublic == (document == "public")).ToArray();
        Assert.Equal(
            routes.Select(r => $"{r.Method} /{r.Template}").Order(),
            read.Document!.Paths.SelectMany(p => p.Value.Operations!.Select(o => $"{o.Key.Method} {p.Key}")).Order());
    }

    [Fact]
    public void Public_document_has_every_v1_route_and_the_internal_one_the_provider_and_operator_routes()
    {
        var v1 = ApiRouteTable.All.Where(r => r.Template.StartsWith("v1/", StringComparison.Ordinal)).ToArray();

        Assert.All(v1, route => Assert.True(route.IsPublic, route.Name));
        Assert.All(ApiRouteTable.All.Where(r => r.Template.StartsWith("manage/", StringComparison.Ordinal) || r.Template.StartsWith("hooks/", StringComparison.Ordinal)),
            route => Assert.Same(OpenApiContract.Internal, OpenApiContract.Operations[route.Name].Document));
        Assert.Equal(["https://api.interflow.chat", "https://sandbox.api.interflow.chat"],
            OpenApiContract.Public.Root["servers"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()));
        Assert.Equal("bearer", OpenApiContract.Public.Root["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public void Every_api_key_operation_declares_its_headers_errors_and_envelope()
    {
        foreach (var route in ApiRouteTable.All.Where(r => r.Access == RouteAccess.ApiKey))
        {
            var operation = OpenApiContract.Operations[route.Name].Operation;
            var parameters = operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray();
            var responses = operation["responses"]!.AsObject();
            Assert.True(operation["security"] is null, $"{route.Name} must not lift the bearer requirement");
            Assert.Equal(route.Method == "POST", parameters.Contains("Idempotency-Key"));
            Assert.Equal(route.Method == "PUT", parameters.Contains("If-Match"));
            Assert.Equal(["UNAUTHORIZED", "API_KEY_EXPIRED"], Codes(responses["401"]!));
            Assert.Equal(["FORBIDDEN"], Codes(responses["403"]!));
            Assert.Equal(route.Permission!.Value.ToString(), operation["x-interflow-permission"]!.GetValue<string>());
            Assert.Contains("RATE_LIMIT_EXCEEDED", Codes(responses["429"]!));
            Assert.NotNull(responses["429"]!["headers"]!["Retry-After"]);
            var success = responses.First(r => r.Key.StartsWith('2')).Value!;
            Assert.NotNull(success["headers"]!["X-RateLimit-Remaining"]);
            var envelope = success["content"]!["application/json"]!["schema"]!;
            var isList = route.Responses.Any(r => r.IsList);
            Assert.Equal(isList, envelope["properties"]!["meta"] is not null);
            Assert.Equal(route.Method == "POST", success["headers"]!["Idempotent-Replayed"] is not null);
            if (route.Method == "POST")
            {
                Assert.NotNull(responses["409"]!["headers"]!["Retry-After"]);
                Assert.Contains("IDEMPOTENCY_KEY_REUSED", Codes(responses["422"]!));
            }
            foreach (var code in route.Errors)
            {
                Assert.Contains(code.WireName(), Codes(responses[code.Status().ToString(System.Globalization.CultureInfo.InvariantCulture)]!));
            }
        }
    }

    [Fact]
    public void Seed_examples_fit_their_own_schemas()
    {
        var checkedExamples = 0;
        foreach (var (name, (document, operation)) in OpenApiContract.Operations)
        {
            if (operation["requestBody"]?["content"]?["application/json"] is JsonObject request && request["example"] is { } body)
            {
                Assert.Null(OpenApiContract.RequestProblem(name, body));
                checkedExamples++;
            }
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (response!["content"]?["application/json"] is JsonObject media && media["example"] is { } example)
                {
                    Assert.Null(document.Problem($"{name}/{status}/example", media["schema"]!, JsonSerializer.SerializeToElement(example)));
                    checkedExamples++;
                }
            }
        }
        Assert.True(checkedExamples >= 4, $"only {checkedExamples} examples");
        var create = OpenApiContract.Operations["CreateCustomer"].Operation;
        Assert.Equal("João Silva", create["requestBody"]!["content"]!["application/json"]!["example"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Event_and_error_lists_come_from_the_code()
    {
        var events = OpenApiContract.Public.Root["components"]!["schemas"]!["NewWebhookBody"]!["properties"]!["events"]!["items"]!["enum"]!.AsArray();
        var codes = OpenApiContract.Public.Root["components"]!["schemas"]!["ErrorEnvelope"]!["properties"]!["error"]!["properties"]!["code"]!["enum"]!.AsArray();

        Assert.Equal(["*", .. EventTypes.All], events.Select(e => e!.GetValue<string>()));
        Assert.Equal(Enum.GetValues<ErrorCode>().Select(c => c.WireName()), codes.Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task The_public_document_is_served_without_a_key()
    {
        using var client = fixture.Server.CreateClient();

        using var response = await client.GetAsync("v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(OpenApiDocuments.Public, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    private static string[] Codes(JsonNode response) =>
        [.. response["content"]!["application/json"]!["schema"]!["properties"]!["error"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>())];
}
