namespace Interflow.Api.Http;

/// <summary>
/// A success answer a route documents: its status and what it carries. Most answers are the envelope, whose
/// <c>data</c> is <see cref="Data"/>: a list (with <c>meta</c>) or a single resource (answered with its ETag). A few
/// answers are not the envelope: the OpenAPI document, the docs page, a provider's challenge.
/// </summary>
public sealed record ApiResponse(int Status, string Description, Type? Data, bool IsList = false, bool HasETag = false, string? RawContentType = null)
{
    /// <summary><c>data</c> as the reference shows it.</summary>
    public string? Example { get; init; }

    /// <summary>A single resource: the envelope with it as <c>data</c>, and its ETag.</summary>
    public static ApiResponse Resource<T>(int status, string description) => new(status, description, typeof(T), HasETag: true);

    /// <summary>The envelope with <typeparamref name="T"/> as <c>data</c>, without an ETag (an outcome, not a resource's version).</summary>
    public static ApiResponse Ok<T>(string description) => new(200, description, typeof(T));

    /// <summary>A page: the envelope with a list of <typeparamref name="T"/> as <c>data</c> and <c>meta</c>.</summary>
    public static ApiResponse ListOf<T>(string description) => new(200, description, typeof(T), IsList: true);

    /// <summary>A body that is not the envelope.</summary>
    public static ApiResponse Raw(string contentType, string description) => new(200, description, null, RawContentType: contentType);

    /// <summary>A 303 with <c>Location</c> and an empty body.</summary>
    public static ApiResponse Redirect(string description) => new(303, description, null, RawContentType: "text/plain");
}

/// <summary>A query string parameter a route reads.</summary>
/// <param name="Allowed">Its accepted values, when it is one of a few.</param>
public sealed record QueryParameter(string Name, string Description, bool IsInteger = false, IReadOnlyList<string>? Allowed = null)
{
    /// <summary><c>page</c> and <c>per_page</c>, as every paged list reads them, and <c>cursor</c> to walk it instead.</summary>
    public static IReadOnlyList<QueryParameter> Paging { get; } =
    [
        new("page", "Page number, from 1 (default 1)", IsInteger: true),
        new("per_page", "Items per page, 1-100 (default 20)", IsInteger: true),
        new(Cursor, "Walk the list by cursor instead of by page number: empty for the first page, then each answer's meta.next_cursor. " +
            "A walk goes in order of creation (newest first; a chat's messages as order says, so chats by creation rather than by last message) " +
            "and returns each item that exists for the whole walk exactly once, whatever is added or deleted meanwhile. " +
            "Its meta is per_page and next_cursor (null after the last item), without page or total. Not with page."),
    ];

    public const string Cursor = "cursor";
}
