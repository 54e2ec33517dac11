namespace Interflow.Api.Http;

/// <summary>The contract's error codes (API.md §3); the enum name is the wire code, upper snake case.</summary>
public enum ErrorCode
{
    ValidationError,
    InvalidJson,
    Unauthorized,

    /// <summary>A well-formed key past its expiry (its own code, so that a client can say so): 401.</summary>
    ApiKeyExpired,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    IdempotencyKeyReused,
    RateLimitExceeded,
    InternalError,
    ServiceUnavailable,
}

public static class ErrorCodes
{
    public static int Status(this ErrorCode code) => code switch
    {
        // 422 for every validation failure (API.md allows 400 or 422, used consistently).
        ErrorCode.ValidationError => 422,
        ErrorCode.InvalidJson => 400,
        ErrorCode.Unauthorized => 401,
        ErrorCode.ApiKeyExpired => 401,
        ErrorCode.Forbidden => 403,
        ErrorCode.NotFound => 404,
        ErrorCode.MethodNotAllowed => 405,
        ErrorCode.Conflict => 409,
        ErrorCode.PreconditionFailed => 412,
        ErrorCode.PayloadTooLarge => 413,
        ErrorCode.UnsupportedMediaType => 415,
        ErrorCode.IdempotencyKeyReused => 422,
        ErrorCode.RateLimitExceeded => 429,
        ErrorCode.InternalError => 500,
        ErrorCode.ServiceUnavailable => 503,
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    public static string WireName(this ErrorCode code) => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(code.ToString());
}
