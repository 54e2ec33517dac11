namespace Interflow.Core.Validation;

/// <param name="Field">JSON path of the field as the caller sent it (<c>tags[3]</c>, <c>custom_fields.cargo</c>).</param>
/// <param name="Limit">The bound or list the message quotes, when the problem has one.</param>
public sealed record FieldError(string Field, FieldProblem Problem, object? Limit = null);
