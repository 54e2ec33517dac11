namespace Interflow.Core.Validation;

public sealed class ValidationException(IReadOnlyList<FieldError> errors) : Exception("validation failed")
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public ValidationException(FieldError error) : this([error])
    {
    }
}
