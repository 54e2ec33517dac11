namespace Interflow.Api.Http;

/// <summary>Every top-level error message the API speaks; texts are in <see cref="MessageCatalog"/>.</summary>
public enum ErrorText
{
    InvalidFields,
    InvalidJson,
    InvalidUtf8,
    DuplicateProperty,
    BodyRequired,
    MissingApiKey,
    InvalidApiKey,
    InvalidAdminKey,
    InvalidSignature,
    RouteNotFound,
    ResourceNotFound,
    MethodNotAllowed,
    ValueInUse,
    IdempotencyInProgress,
    VersionChanged,
    PayloadTooLarge,
    UnsupportedMediaType,
    IdempotencyKeyReused,
    RateLimitExceeded,
    InternalError,
    ServiceUnavailable,
}
