using System.Globalization;
using Interflow.Core.Paging;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Validation;

/// <summary>Query-string parameters with the same all-at-once error reporting as bodies.</summary>
public sealed class QueryFields(IQueryCollection query, FieldErrors errors)
{
    public PageRequest Page() =>
        new(Integer("page", 1, 1, int.MaxValue), Integer("per_page", PageRequest.DefaultPerPage, 1, PageRequest.MaxPerPage));

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
