namespace Interflow.Core.Validation;

/// <summary>What is wrong with one field; the API turns each into a localized message.</summary>
public enum FieldProblem
{
    Required,
    MustBeString,
    MustBeInteger,
    MustBeNumber,
    MustBeArray,
    MustBeObject,
    MustBeScalar,
    TooLong,
    TooShort,
    TooManyItems,
    OutOfRange,
    InvalidEmail,
    InvalidPhone,
    InvalidValue,
    UnknownField,
    OneOfRequired,
    MustNotBeNull,
    AlreadyInUse,
    NotFound,
    InvalidUrl,
    Unresolvable,
    ForbiddenAddress,
    ControlCharacter,
    InvalidUnicode,
    InvalidCursor,
    NotWithCursor,
}
