using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Api.OpenApi;
using Json.Schema;

namespace Interflow.TestServer;

/// <summary>
/// The OpenAPI documents as a checker: what an operation declares for a request body or a response, and whether a
/// request or a response keeps to it. Schemas are evaluated as JSON Schema 2020-12 (OpenAPI 3.1's dialect), formats
/// included.
/// </summary>
public static class OpenApiContract
{
    private static readonly Lazy<IReadOnlyDictionary<string, (Document Document, JsonObject Operation)>> Loaded = new(Load);
    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new();
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static Document Public { get; } = new("public", JsonNode.Parse(OpenApiDocuments.Public)!.AsObject());

    public static Document Internal { get; } = new("internal", JsonNode.Parse(OpenApiDocuments.Internal)!.AsObject());

    /// <summary>Every operation of both documents, by id (the route's name).</summary>
    public static IReadOnlyDictionary<string, (Document Document, JsonObject Operation)> Operations => Loaded.Value;

    /// <summary>
    /// The public operations a client library calls: the public document less the pages and links a browser opens
    /// (the docs page, and the console's entry, page and sign-in link).
    /// </summary>
    public static IReadOnlyList<string> ClientOperations { get; } = [.. Operations.Where(o => o.Value.Document == Public).Select(o => o.Key)
        .Except([Interflow.Api.Docs.DocsApi.Page.Name, Interflow.Api.Console.ConsoleApi.EntryRoute.Name, Interflow.Api.Console.ConsoleApi.Page.Name,
            Interflow.Api.Console.ConsoleApi.SignInRoute.Name])];

    /// <summary>The operation (route name) that serves a method and path, as the route table matches it; null for none.</summary>
    public static string? OperationOf(string method, string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0].TrimStart('/');
        return Interflow.Api.Http.ApiRouteTable.All.SingleOrDefault(r => r.Method == method
            && System.Text.RegularExpressions.Regex.IsMatch(path, "^" + System.Text.RegularExpressions.Regex.Replace(r.Template, "{[^}]+}", "[^/]+") + "$"))?.Name;
    }

    /// <summary>Why a request body does not fit the operation's schema, or null when it does.</summary>
    public static string? RequestProblem(string operationId, JsonNode body)
    {
        var (document, operation) = Operations[operationId];
        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not { } schema)
        {
            return $"{operationId} declares no JSON body";
        }
        return document.Problem($"{operationId}/request", schema, JsonSerializer.SerializeToElement(body));
    }

    /// <summary>Why a response does not keep to what its operation declares for its status, or null when it does.</summary>
    /// <param name="operationId">Null for requests no route took: they answer the error envelope, 404 or 405.</param>
    public static string? ResponseProblem(string? operationId, int status, string? contentType, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Document document;
        JsonObject declared;
        string key;
        if (operationId is null)
        {
            if (status is not (404 or 405))
            {
                return "no route took it, yet it is not 404 or 405";
            }
            (document, key) = (Public, "unmatched");
            declared = new JsonObject
            {
                ["headers"] = new JsonObject { ["X-Request-Id"] = new JsonObject { ["$ref"] = "#/components/headers/X-Request-Id" } },
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ErrorEnvelope" } } },
            };
        }
        else
        {
            if (!Operations.TryGetValue(operationId, out var found))
            {
                return "the route is in neither OpenAPI document";
            }
            var responses = found.Operation["responses"]!.AsObject();
            if (responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not JsonObject response)
            {
                return $"status {status} is not declared (declared: {string.Join(", ", responses.Select(r => r.Key))})";
            }
            (document, declared, key) = (found.Document, response, $"{operationId}/{status}");
        }
        foreach (var (header, reference) in declared["headers"] as JsonObject ?? [])
        {
            if (document.Resolve(reference!)["required"]?.GetValue<bool>() == true && !headers.ContainsKey(header))
            {
                return $"the required header {header} is missing";
            }
        }
        if (declared["content"] is null)
        {
            // A redirect: its Location (checked above as a required header) is the answer.
            return body.Length == 0 ? null : "a body where the document declares none";
        }
        var mediaType = contentType?.Split(';')[0].Trim() ?? "";
        if ((declared["content"] as JsonObject)?[mediaType] is not JsonObject media)
        {
            return $"content type '{contentType}' is not declared";
        }
        if (mediaType != "application/json")
        {
            return body.Length == 0 ? "an empty body" : null;
        }
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException exception)
        {
            return $"the body is not JSON: {exception.Message}";
        }
        return document.Problem(key, media["schema"]!, instance);
    }

    private static IReadOnlyDictionary<string, (Document, JsonObject)> Load()
    {
        var operations = new Dictionary<string, (Document, JsonObject)>();
        foreach (var document in new[] { Public, Internal })
        {
            foreach (var (_, item) in document.Root["paths"]!.AsObject())
            {
                foreach (var (_, operation) in item!.AsObject())
                {
                    operations.Add(operation!["operationId"]!.GetValue<string>(), (document, operation.AsObject()));
                }
            }
        }
        return operations;
    }

    public sealed record Document(string Name, JsonObject Root)
    {
        /// <summary>The target of a <c>$ref</c> within this document, or the node itself.</summary>
        public JsonObject Resolve(JsonNode node)
        {
            if (node["$ref"]?.GetValue<string>() is not { } reference)
            {
                return node.AsObject();
            }
            JsonNode target = Root;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
            {
                target = target[part]!;
            }
            return target.AsObject();
        }

        /// <summary>Why the instance does not match the schema (a schema of this document), or null.</summary>
        /// <param name="key">Names the schema, which is built once.</param>
        public string? Problem(string key, JsonNode schema, JsonElement instance)
        {
            var result = Built.GetOrAdd(Name + ":" + key, _ => Build(schema)).Evaluate(instance, Evaluation);
            if (result.IsValid)
            {
                return null;
            }
            var errors = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .Take(5);
            return "does not match its schema: " + string.Join("; ", errors);
        }

        /// <summary>One schema with this document's component schemas as its <c>$defs</c>.</summary>
        private JsonSchema Build(JsonNode schema)
        {
            var whole = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$id"] = $"https://interflow.test/{Name}/{Guid.NewGuid():N}",
                ["$defs"] = Root["components"]!["schemas"]!.DeepClone(),
                ["allOf"] = new JsonArray(schema.DeepClone()),
            };
            return JsonSchema.FromText(whole.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal));
        }
    }
}
