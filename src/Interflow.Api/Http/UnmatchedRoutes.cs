namespace Interflow.Api.Http;

/// <summary>A catch-all: the methods it serves and its route template.</summary>
public sealed record UnmatchedRoute(string Name, IReadOnlyList<string> Methods, string Template);

/// <summary>
/// The catch-alls that answer, in the envelope, every request no route of <see cref="ApiRouteTable"/> takes (404, or
/// 405 with <c>Allow</c>). The Functions host tries routes in the order of their functions' names and takes the first
/// that matches, with no precedence of literals over parameters (azure-functions-host #3153, #9876): one plain
/// <c>{*path}</c> takes the requests of every route whose function's name sorts after it. So each catch-all here
/// serves one group of methods, and its template refuses every path the table serves for those methods: no request
/// matches two functions, and what serves a request never depends on a name.
/// </summary>
/// <remarks>
/// Attributes need constants, so the templates are written out; tests/Interflow.Functions.Tests derives them from the
/// route table and fails, printing the right one, when a route is added or changed. The empty default (<c>=</c>) lets
/// "/" reach the constraint: a catch-all without a value fails every constraint.
/// </remarks>
public static class UnmatchedRoutes
{
    public const string Get = @"{*path:regex(^(?!(?:v1/customers|v1/customers/[^/]+|v1/channels|v1/channels/[^/]+|v1/messages/[^/]+|v1/messages/bulk/[^/]+|v1/chats|v1/chats/[^/]+|v1/chats/[^/]+/messages|v1/webhooks|v1/webhooks/[^/]+|v1/webhooks/[^/]+/deliveries|v1/openapi\.json|docs|console|console/api-keys|console/sign-in|console/api/session|console/api/keys|console/api/activity|hooks/whatsapp/[^/]+|manage/accounts/[^/]+|manage/accounts/[^/]+/keys|manage/accounts/[^/]+/members)/?$))=}";
    public const string Post = @"{*path:regex(^(?!(?:v1/customers|v1/channels|v1/messages/send|v1/messages/bulk|v1/messages/bulk/[^/]+/cancel|v1/chats|v1/webhooks|v1/webhooks/[^/]+/test|console/api/sign-out|console/api/keys|console/api/keys/[^/]+/roll|console/api/keys/[^/]+/revoke|hooks/whatsapp/[^/]+|manage/accounts|manage/accounts/[^/]+/keys|manage/accounts/[^/]+/members|manage/accounts/[^/]+/members/[^/]+/sign-in-links)/?$))=}";
    public const string Put = @"{*path:regex(^(?!(?:v1/customers/[^/]+|v1/chats/[^/]+|v1/webhooks/[^/]+)/?$))=}";
    public const string Delete = @"{*path:regex(^(?!(?:v1/customers/[^/]+|v1/webhooks/[^/]+|manage/accounts/[^/]+/keys/[^/]+|manage/accounts/[^/]+/members/[^/]+)/?$))=}";

    /// <summary>Methods no route serves: every path is unmatched.</summary>
    public const string Other = "{*path}";

    public static IReadOnlyList<UnmatchedRoute> All { get; } =
    [
        new("UnmatchedGet", ["GET"], Get),
        new("UnmatchedPost", ["POST"], Post),
        new("UnmatchedPut", ["PUT"], Put),
        new("UnmatchedDelete", ["DELETE"], Delete),
        new("UnmatchedOther", ["PATCH", "HEAD", "OPTIONS"], Other),
    ];
}
