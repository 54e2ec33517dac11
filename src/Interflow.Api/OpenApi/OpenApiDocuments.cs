using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Interflow.Api.Console;
using Interflow.Api.Http;
using static Interflow.Api.OpenApi.OpenApiSchemas;

namespace Interflow.Api.OpenApi;

/// <summary>
/// The API's OpenAPI 3.1 documents, generated from <see cref="ApiRouteTable"/> and the request and view types, never
/// written by hand: the public one (every <c>/v1</c> route, served at <c>GET /v1/openapi.json</c>) and the operator's
/// (provider webhooks and <c>/manage</c>). Schemas come from the same JSON options the API writes with, so the
/// documented names and formats are the ones on the wire.
/// </summary>
public static partial class OpenApiDocuments
{
    private static readonly Lazy<string> PublicDocument = new(() => Write(Build(ApiRouteTable.All.Where(r => r.IsPublic), internalRoutes: false)));
    private static readonly Lazy<string> InternalDocument = new(() => Write(Build(ApiRouteTable.All.Where(r => !r.IsPublic), internalRoutes: true)));

    public static string Public => PublicDocument.Value;

    public static string Internal => InternalDocument.Value;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string SeedValidationExample = """
        {"success": false, "error": {"code": "VALIDATION_ERROR", "message": "O campo 'email' é obrigatório", "details": [{"field": "email", "message": "Campo obrigatório"}]}}
        """;

    private static string Write(JsonObject document) => document.ToJsonString(Indented) + "\n";

    private static JsonObject Build(IEnumerable<ApiRoute> routes, bool internalRoutes)
    {
        var schemas = new OpenApiSchemas();
        var paths = new JsonObject();
        var tags = new List<string>();
        foreach (var route in routes)
        {
            if (!tags.Contains(route.Tag))
            {
                tags.Add(route.Tag);
            }
            var path = "/" + route.Template;
            if (paths[path] is not JsonObject item)
            {
                paths[path] = item = new JsonObject();
            }
            item[route.Method.ToLowerInvariant()] = Operation(route, schemas);
        }
        schemas.Add(typeof(PageMeta));
        if (routes.Any(r => r.Query.Any(q => q.Name == QueryParameter.Cursor)))
        {
            schemas.Add(typeof(CursorMeta));
        }
        schemas.Add("ErrorEnvelope", ErrorSchema(Enum.GetValues<ErrorCode>()));
        schemas.Add(typeof(ErrorDetail));
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = internalRoutes ? "Interflow API: provider webhooks, the console and operator routes" : "Interflow API",
                ["version"] = "1.0.0",
                ["description"] = internalRoutes
                    ? "Routes that are not the public API: the WhatsApp Cloud API webhook (authenticated by Meta's signature), the console's API keys page and its calls (a member's session, never an API key) and the operator's /manage routes (behind a Functions key, x-functions-key)."
                    : "The Interflow customer-messaging API: customers, channels, messages (sandbox and WhatsApp Cloud API), bulk sends, chats and signed webhooks. Every answer is the envelope {success, data, meta} or {success: false, error: {code, message, details}}; messages are in Brazilian Portuguese unless Accept-Language asks for English. An ifk_live_ key acts on production data, an ifk_test_ key on the same account's separate sandbox data.",
            },
            ["servers"] = internalRoutes
                ? new JsonArray(new JsonObject { ["url"] = "https://api.interflow.chat", ["description"] = "Produção" })
                : new JsonArray(
                    new JsonObject { ["url"] = "https://api.interflow.chat", ["description"] = "Produção" },
                    new JsonObject { ["url"] = "https://sandbox.api.interflow.chat", ["description"] = "Sandbox" }),
            ["security"] = new JsonArray(new JsonObject { [internalRoutes ? "functionKey" : "bearer"] = new JsonArray() }),
            ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["name"] = t })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = internalRoutes
                    ? new JsonObject
                    {
                        ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                        ["consoleSession"] = new JsonObject
                        {
                            ["type"] = "apiKey",
                            ["in"] = "cookie",
                            ["name"] = ConsoleAuthenticator.Cookie,
                            ["description"] = $"The console's session cookie ({ConsoleAuthenticator.SecureCookie} over https), from a sign-in; every call but a GET also sends the session's csrf_token in {ConsoleAuthenticator.AntiForgeryHeader}",
                        },
                    }
                    : new JsonObject
                    {
                        ["bearer"] = new JsonObject
                        {
                            ["type"] = "http",
                            ["scheme"] = "bearer",
                            ["description"] = "An API key: ifk_live_… (production) or ifk_test_… (sandbox)",
                        },
                    },
                ["headers"] = Headers(),
                ["schemas"] = schemas.Components(),
            },
        };
    }

    private static JsonObject Operation(ApiRoute route, OpenApiSchemas schemas)
    {
        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = route.Summary,
            ["tags"] = new JsonArray(route.Tag),
        };
        if (route.Permission is { } permission)
        {
            operation["description"] = $"A restricted key needs `{permission}`.";
            operation["x-interflow-permission"] = permission.ToString();
        }
        if (route.Access is RouteAccess.Public or RouteAccess.Provider)
        {
            operation["security"] = new JsonArray();
        }
        else if (route.Access == RouteAccess.Console)
        {
            operation["security"] = new JsonArray(new JsonObject { ["consoleSession"] = new JsonArray() });
        }
        var parameters = new JsonArray();
        foreach (Match parameter in PathParameter().Matches(route.Template))
        {
            parameters.Add(new JsonObject { ["name"] = parameter.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        foreach (var query in route.Query)
        {
            var schema = new JsonObject { ["type"] = query.IsInteger ? "integer" : "string" };
            if (query.Allowed is { } allowed)
            {
                schema["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]);
            }
            parameters.Add(new JsonObject { ["name"] = query.Name, ["in"] = "query", ["description"] = query.Description, ["schema"] = schema });
        }
        if (route.Access == RouteAccess.ApiKey && route.Method == "POST")
        {
            parameters.Add(Header(IdempotencyGuard.Header, $"Up to {IdempotencyGuard.MaxKeyLength} characters. The same key with the same body within {IdempotencyGuard.Lifetime.TotalHours:0} h answers the first response again (Idempotent-Replayed: true) and does nothing twice; with another body, 422 IDEMPOTENCY_KEY_REUSED; while the first still runs, 409 with Retry-After"));
        }
        if (route.Access == RouteAccess.ApiKey && route.Method == "PUT")
        {
            parameters.Add(Header("If-Match", "An ETag from a GET: the update applies only to that version, else 412 PRECONDITION_FAILED. Without it, concurrent updates are merged in turn (none is lost)"));
        }
        parameters.Add(Header("Accept-Language", "en for English messages; Brazilian Portuguese by default"));
        parameters.Add(Header("X-Request-Id", "Your id for this request, echoed back (one is generated otherwise)"));
        operation["parameters"] = parameters;
        if (route.Body is { } body)
        {
            var content = new JsonObject { ["schema"] = schemas.Reference(body) };
            if (route.RequestExample is { } example)
            {
                content["example"] = JsonNode.Parse(example);
            }
            operation["requestBody"] = new JsonObject { ["required"] = !route.AcceptsEmptyBody, ["content"] = new JsonObject { ["application/json"] = content } };
        }
        var responses = new JsonObject();
        foreach (var response in route.Responses.OrderBy(r => r.Status))
        {
            responses[response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Success(route, response, schemas);
        }
        foreach (var (status, codes) in ErrorsOf(route))
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Failure(route, status, codes);
        }
        operation["responses"] = responses;
        return operation;
    }

    /// <summary>Every error a route can answer, by status: what every route of its kind answers, and its own.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<ErrorCode>> ErrorsOf(ApiRoute route)
    {
        var codes = new List<ErrorCode> { ErrorCode.InternalError };
        if (route.Access != RouteAccess.Public)
        {
            codes.Add(ErrorCode.ServiceUnavailable);
        }
        if (route.Access is RouteAccess.ApiKey or RouteAccess.Admin or RouteAccess.Console)
        {
            codes.Add(ErrorCode.Unauthorized);
        }
        if (route.Access == RouteAccess.ApiKey)
        {
            // An expired key; a restricted key without the operation's permission.
            codes.AddRange([ErrorCode.ApiKeyExpired, ErrorCode.RateLimitExceeded, ErrorCode.Forbidden]);
        }
        if (route.Access == RouteAccess.Console && route.Method != "GET")
        {
            codes.Add(ErrorCode.Forbidden); // without the session's anti-forgery token
        }
        if (route.Template.Contains('{', StringComparison.Ordinal))
        {
            codes.Add(ErrorCode.NotFound);
        }
        if (route.Method is "POST" or "PUT")
        {
            codes.AddRange([ErrorCode.InvalidJson, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType, ErrorCode.ValidationError]);
        }
        if (route.Query.Count > 0)
        {
            codes.Add(ErrorCode.ValidationError);
        }
        if (route.Access == RouteAccess.ApiKey && route.Method == "POST")
        {
            codes.AddRange([ErrorCode.Conflict, ErrorCode.IdempotencyKeyReused]);
        }
        if (route.Access == RouteAccess.ApiKey && route.Method == "PUT")
        {
            codes.Add(ErrorCode.PreconditionFailed);
        }
        codes.AddRange(route.Errors);
        return codes.Distinct().GroupBy(c => c.Status()).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<ErrorCode>)[.. g]);
    }

    private static JsonObject Success(ApiRoute route, ApiResponse response, OpenApiSchemas schemas)
    {
        var headers = CommonHeaders(route, response.Status);
        if (response.HasETag)
        {
            headers["ETag"] = Ref("headers", "ETag");
        }
        if (response.Status == 303)
        {
            headers["Location"] = new JsonObject { ["required"] = true, ["description"] = "Where the browser goes next", ["schema"] = new JsonObject { ["type"] = "string" } };
            return new JsonObject { ["description"] = response.Description, ["headers"] = headers };
        }
        if (response.RawContentType is { } raw)
        {
            var rawSchema = raw == "application/json" ? new JsonObject { ["type"] = "object" } : new JsonObject { ["type"] = "string" };
            return new JsonObject
            {
                ["description"] = response.Description,
                ["headers"] = headers,
                ["content"] = new JsonObject { [raw] = new JsonObject { ["schema"] = rawSchema } },
            };
        }
        var data = schemas.Reference(response.Data!);
        var envelope = new JsonObject
        {
            ["type"] = "object",
            ["required"] = response.IsList ? new JsonArray("success", "data", "meta") : new JsonArray("success", "data"),
            ["properties"] = new JsonObject
            {
                ["success"] = new JsonObject { ["const"] = true },
                ["data"] = response.IsList ? new JsonObject { ["type"] = "array", ["items"] = data } : data,
            },
            ["additionalProperties"] = false,
        };
        if (response.IsList)
        {
            // A list that can be walked answers a walk's meta when asked for one (cursor), and a page's otherwise.
            envelope["properties"]!["meta"] = route.Query.Any(q => q.Name == QueryParameter.Cursor)
                ? new JsonObject { ["oneOf"] = new JsonArray(Ref("schemas", nameof(PageMeta)), Ref("schemas", nameof(CursorMeta))) }
                : Ref("schemas", nameof(PageMeta));
        }
        var content = new JsonObject { ["schema"] = envelope };
        if (response.Example is { } example)
        {
            content["example"] = new JsonObject { ["success"] = true, ["data"] = JsonNode.Parse(example) };
        }
        return new JsonObject { ["description"] = response.Description, ["headers"] = headers, ["content"] = new JsonObject { ["application/json"] = content } };
    }

    private static JsonObject Failure(ApiRoute route, int status, IReadOnlyList<ErrorCode> codes)
    {
        var headers = CommonHeaders(route, status);
        if (status is 429 or 503 || codes.Contains(ErrorCode.Conflict))
        {
            headers["Retry-After"] = Ref("headers", "Retry-After");
        }
        var content = new JsonObject { ["schema"] = ErrorSchema(codes) };
        if (codes.Contains(ErrorCode.ValidationError) && route.Body is not null)
        {
            content["example"] = JsonNode.Parse(SeedValidationExample);
        }
        var description = string.Join("; ", codes.Select(c => c.WireName()));
        return new JsonObject { ["description"] = description, ["headers"] = headers, ["content"] = new JsonObject { ["application/json"] = content } };
    }

    private static JsonObject CommonHeaders(ApiRoute route, int status)
    {
        var headers = new JsonObject { ["X-Request-Id"] = Ref("headers", "X-Request-Id") };
        // A 401 has no account to count against; everything else of an API-key route says where its budget stands.
        if (route.Access == RouteAccess.ApiKey && status != 401)
        {
            headers["X-RateLimit-Limit"] = Ref("headers", "X-RateLimit-Limit");
            headers["X-RateLimit-Remaining"] = Ref("headers", "X-RateLimit-Remaining");
            headers["X-RateLimit-Reset"] = Ref("headers", "X-RateLimit-Reset");
        }
        if (route.Access == RouteAccess.ApiKey && route.Method == "POST" && status < 500)
        {
            headers["Idempotent-Replayed"] = Ref("headers", "Idempotent-Replayed");
        }
        return headers;
    }

    private static JsonObject Headers() => new()
    {
        ["X-Request-Id"] = HeaderSchema("The request's id: the caller's X-Request-Id, or one generated", "string", required: true),
        ["X-RateLimit-Limit"] = HeaderSchema("Requests per minute of the account's plan (starter 60, professional 300, enterprise 1000)", "integer"),
        ["X-RateLimit-Remaining"] = HeaderSchema("Requests left in the current one-minute window", "integer"),
        ["X-RateLimit-Reset"] = HeaderSchema("When the window resets, in Unix seconds", "integer"),
        ["Retry-After"] = HeaderSchema("Seconds to wait before retrying", "integer"),
        ["ETag"] = HeaderSchema("The resource's version, for If-Match", "string"),
        ["Idempotent-Replayed"] = HeaderSchema("true when this is the stored answer to an earlier request with the same Idempotency-Key", "string"),
    };

    private static JsonObject HeaderSchema(string description, string type, bool required = false)
    {
        var header = new JsonObject { ["description"] = description, ["schema"] = new JsonObject { ["type"] = type } };
        if (required)
        {
            header["required"] = true;
        }
        return header;
    }

    private static JsonObject Header(string name, string description) =>
        new() { ["name"] = name, ["in"] = "header", ["description"] = description, ["schema"] = new JsonObject { ["type"] = "string" } };

    private static JsonObject ErrorSchema(IEnumerable<ErrorCode> codes) => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("success", "error"),
        ["properties"] = new JsonObject
        {
            ["success"] = new JsonObject { ["const"] = false },
            ["error"] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("code", "message"),
                ["properties"] = new JsonObject
                {
                    ["code"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. codes.Select(c => (JsonNode)c.WireName())]) },
                    ["message"] = new JsonObject { ["type"] = "string", ["description"] = "For people; Brazilian Portuguese unless Accept-Language asks for English" },
                    ["details"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["description"] = "Every invalid field at once, by its JSON path (content.text, tags[3])",
                        ["items"] = Ref("schemas", "ErrorDetail"),
                    },
                },
                ["additionalProperties"] = false,
            },
        },
        ["additionalProperties"] = false,
    };

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();
}
