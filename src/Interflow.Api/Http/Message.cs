namespace Interflow.Api.Http;

/// <summary>Every top-level error message the API speaks; texts are in <see cref="Messages"/>.</summary>
public enum Message
{
    InvalidFields,
    InvalidJson,
    BodyRequired,
    MissingApiKey,
    InvalidApiKey,
    InvalidAdminKey,
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
