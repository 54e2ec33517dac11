using System.Globalization;
using Interflow.Api.Http;
using Interflow.Core.Paging;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Validation;

/// <summary>Query-string parameters with the same all-at-once error reporting as bodies.</summary>
public sealed class QueryFields(IQueryCollection query, FieldErrors errors)
{
    /// <summary>A page by number, or, when <c>cursor</c> is given (empty for the first page), a page of a walk.</summary>
    public PageRequest Page()
    {
        var perPage = Integer("per_page", PageRequest.DefaultPerPage, 1, PageRequest.MaxPerPage);
        if (!query.TryGetValue("cursor", out var cursor))
        {
            return new PageRequest(Integer("page", 1, 1, int.MaxValue), perPage);
        }
        if (query.ContainsKey("page"))
        {
            errors.Add("page", FieldProblem.NotWithCursor);
        }
        if (cursor.ToString() is not { Length: > 0 } text)
        {
            return PageRequest.Walk(perPage, null);
        }
        var after = text.Length <= MaxCursorLength ? ListCursor.Decode(text) : null;
        if (after is null)
        {
            errors.Add("cursor", FieldProblem.InvalidCursor);
        }
        return PageRequest.Walk(perPage, after);
    }

    // A creation time and an id, base64url: far below this.
    private const int MaxCursorLength = 200;

    /// <summary>A non-empty filter value, or null when the parameter is absent.</summary>
    public string? Text(string name, int maxLength)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }
        var text = values.ToString().Trim();
        if (text.Length == 0)
        {
            errors.Add(name, FieldProblem.TooShort, 1);
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add(name, FieldProblem.TooLong, maxLength);
            return null;
        }
        return text;
    }

    public string? OneOf(string name, params string[] accepted)
    {
        var text = Text(name, 50);
        if (text is not null && !accepted.Contains(text))
        {
            errors.Add(name, FieldProblem.InvalidValue, string.Join(", ", accepted));
            return null;
        }
        return text;
    }

    private int Integer(string name, int fallback, int min, int max)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return fallback;
        }
        if (!int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(name, FieldProblem.MustBeInteger);
            return fallback;
        }
        if (number < min || number > max)
        {
            errors.Add(name, FieldProblem.OutOfRange, (min, max));
            return fallback;
        }
        return number;
    }
}
