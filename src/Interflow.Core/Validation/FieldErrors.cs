namespace Interflow.Core.Validation;

/// <summary>Collects every problem of a request so that the caller hears about all of them at once.</summary>
public sealed class FieldErrors
{
    private readonly List<FieldError> errors = [];

    public bool Any => errors.Count > 0;

    public void Add(string field, FieldProblem problem, object? limit = null) => errors.Add(new FieldError(field, problem, limit));

    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw new ValidationException(errors.ToArray());
        }
    }
}
