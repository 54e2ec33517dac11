using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Interflow.Api.Composition;
using Interflow.Api.Console;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Idempotency;
using Interflow.Core.Telemetry;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Interflow.Api.Http;

/// <summary>
/// Everything every request goes through, in one place and in this order: request id, route values, auth, rate
/// limit, body checks, idempotency, the handler, the envelope, and error mapping. Both hosts call only this.
/// </summary>
public sealed class ApiPipeline(
    ApiKeyAuthenticator authenticator,
    ConsoleAuthenticator consoleAuthenticator,
    RequestRateLimiter rateLimiter,
    IdempotencyGuard idempotency,
    IOptions<InterflowOptions> options,
    ILogger<ApiPipeline> logger)
{
    public const string RequestIdHeader = "X-Request-Id";

    public async Task<IResult> RunAsync(HttpContext http, ApiRoute route)
    {
        var requestId = AssignRequestId(http);
        using var activity = StartRequestActivity(http, route, requestId);
        var language = Languages.FromRequest(http.Request);
        var cancellationToken = http.RequestAborted;
        IdempotencyRecord? claim = null;
        ConsoleCaller? console = null;
        try
        {
            if (!route.TryMatch(http.Request.Path, out var values))
            {
                throw new ApiException(ErrorCode.NotFound, ErrorText.RouteNotFound, http.Request.Path.Value);
            }
            Tenant? tenant = null;
            if (route.Access == RouteAccess.ApiKey)
            {
                var caller = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
                tenant = caller.Tenant;
                activity?.SetTag(InterflowTelemetry.Tags.Tenant, caller.Tenant.Key);
                await rateLimiter.CountAsync(http.Response, caller, cancellationToken);
                ApiKeyAuthenticator.Authorize(caller, route);
            }
            else if (route.Access == RouteAccess.Console)
            {
                console = await consoleAuthenticator.AuthenticateAsync(http, route, cancellationToken);
            }
            else if (route.Access == RouteAccess.Admin)
            {
                AuthorizeAdmin(http.Request);
            }
            var body = await RequestBody.ReadAsync(http.Request, route, cancellationToken);
            if (tenant is { } t && HttpMethods.IsPost(route.Method) && IdempotencyGuard.KeyOf(http.Request) is { } key)
            {
                var (newClaim, replay) = await idempotency.BeginAsync(t, key, http.Request, body.Raw, cancellationToken);
                if (replay is not null)
                {
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    InterflowTelemetry.IdempotentReplays.Add(1);
                    return Answered(activity, new JsonBytesResult(replay.StatusCode!.Value, Encoding.UTF8.GetBytes(replay.ResponseBody!), replay.ResponseETag));
                }
                claim = newClaim;
            }
            var result = await route.Handler(new ApiRequest(http, values, tenant, body, language) { Console = console });
            var bytes = result.Body();
            if (claim is not null)
            {
                await idempotency.CompleteAsync(claim, result.StatusCode, bytes, result.ETag, cancellationToken);
            }
            return Answered(activity, new JsonBytesResult(result.StatusCode, bytes, result.ETag, result.ContentType));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var (status, error) = Describe(exception, language, requestId);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(false, error), ApiJson.Options);
            if (claim is not null)
            {
                // A deterministic refusal is replayed like a success; a server failure frees the key for a retry.
                await (status >= 500
                    ? idempotency.ReleaseAsync(claim, CancellationToken.None)
                    : idempotency.CompleteAsync(claim, status, bytes, null, CancellationToken.None));
            }
            // A retry may succeed: the store comes back, or the first request with this Idempotency-Key finishes.
            if (status == StatusCodes.Status503ServiceUnavailable || exception is ApiException { MessageId: ErrorText.IdempotencyInProgress })
            {
                http.Response.Headers.RetryAfter = "1";
            }
            activity?.SetTag(InterflowTelemetry.Tags.ErrorType, error.Code);
            return Answered(activity, new JsonBytesResult(status, bytes));
        }
    }

    /// <summary>Requests no route took: 405 with <c>Allow</c> when the path exists for other methods, else 404.</summary>
    public IResult RunUnmatched(HttpContext http)
    {
        AssignRequestId(http);
        var language = Languages.FromRequest(http.Request);
        var allowed = ApiRouteTable.All
            .Where(route => route.TryMatch(http.Request.Path, out _))
            .Select(route => route.Method)
            .Distinct()
            .ToArray();
        ErrorBody error;
        if (allowed.Length > 0)
        {
            http.Response.Headers.Allow = string.Join(", ", allowed);
            error = new ErrorBody(ErrorCode.MethodNotAllowed.WireName(),
                MessageCatalog.Text(ErrorText.MethodNotAllowed, language, http.Request.Method, string.Join(", ", allowed)), null);
        }
        else
        {
            error = new ErrorBody(ErrorCode.NotFound.WireName(),
                MessageCatalog.Text(ErrorText.RouteNotFound, language, http.Request.Path.Value), null);
        }
        var status = allowed.Length > 0 ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
        return new JsonBytesResult(status, JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(false, error), ApiJson.Options));
    }

    /// <summary>
    /// The request's span, named by its route: a child of the host's own request span where one is exported (the
    /// Functions worker's invocation, beneath the host's request), else the server span itself, continuing the
    /// caller's <c>traceparent</c>. (ASP.NET Core starts an activity of its own for every request that nobody may
    /// listen to: a span beneath it would be beneath nothing exported.) Its <c>interflow.request.id</c> is the
    /// envelope's request id: the trace of any answer is found from it.
    /// </summary>
    private static Activity? StartRequestActivity(HttpContext http, ApiRoute route, string requestId)
    {
        if (!InterflowTelemetry.Source.HasListeners())
        {
            return null;
        }
        var host = Activity.Current;
        if (host is not null && !host.Source.HasListeners())
        {
            Activity.Current = host = null;
        }
        var activity = host is null
            ? InterflowTelemetry.Source.StartActivity($"{route.Method} /{route.Template}", ActivityKind.Server, InterflowTelemetry.ParentOf(http.Request.Headers.TraceParent))
            : InterflowTelemetry.Source.StartActivity($"{route.Method} /{route.Template}");
        return activity?.SetTag(InterflowTelemetry.Tags.HttpMethod, route.Method).SetTag(InterflowTelemetry.Tags.HttpRoute, "/" + route.Template)
            .SetTag(InterflowTelemetry.Tags.RequestId, requestId);
    }

    /// <summary>The answer's status on the request's span; a server failure (5xx) fails the span, a refusal (4xx) does not.</summary>
    private static JsonBytesResult Answered(Activity? activity, JsonBytesResult result)
    {
        activity?.SetTag(InterflowTelemetry.Tags.HttpStatus, result.StatusCode);
        if (result.StatusCode >= 500)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
        return result;
    }

    private static string AssignRequestId(HttpContext http)
    {
        var sent = http.Request.Headers[RequestIdHeader].ToString();
        var requestId = sent.Length is > 0 and <= 128 && sent.All(c => c is > ' ' and <= '~')
            ? sent
            : $"req_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        http.Response.Headers[RequestIdHeader] = requestId;
        return requestId;
    }

    private void AuthorizeAdmin(HttpRequest request)
    {
        var expected = options.Value.AdminKey;
        if (string.IsNullOrEmpty(expected))
        {
            return;
        }
        var sent = Encoding.UTF8.GetBytes(request.Headers["x-functions-key"].ToString());
        if (!CryptographicOperations.FixedTimeEquals(sent, Encoding.UTF8.GetBytes(expected)))
        {
            throw new ApiException(ErrorCode.Unauthorized, ErrorText.InvalidAdminKey);
        }
    }

    private (int Status, ErrorBody Error) Describe(Exception exception, Language language, string requestId)
    {
        switch (exception)
        {
            case ApiException api:
                return (api.Code.Status(), new ErrorBody(api.Code.WireName(), MessageCatalog.Text(api.MessageId, language, [.. api.Args]), api.Details));
            case ValidationException validation:
                var details = validation.Errors.Select(e => new ErrorDetail(e.Field, MessageCatalog.Detail(e, language))).ToArray();
                var message = validation.Errors.Count == 1
                    ? MessageCatalog.Single(validation.Errors[0], language)
                    : MessageCatalog.Text(ErrorText.InvalidFields, language, validation.Errors.Count);
                return (422, new ErrorBody(ErrorCode.ValidationError.WireName(), message, details));
            case NotFoundException:
                return (404, new ErrorBody(ErrorCode.NotFound.WireName(), MessageCatalog.Text(ErrorText.ResourceNotFound, language), null));
            case ConflictException conflict:
                var detail = new ErrorDetail(conflict.Field, MessageCatalog.Detail(new FieldError(conflict.Field, FieldProblem.AlreadyInUse), language));
                return (409, new ErrorBody(ErrorCode.Conflict.WireName(), MessageCatalog.Text(ErrorText.ValueInUse, language, conflict.Field), [detail]));
            case VersionMismatchException:
                return (412, new ErrorBody(ErrorCode.PreconditionFailed.WireName(), MessageCatalog.Text(ErrorText.VersionChanged, language), null));
            case StoreUnavailableException:
                logger.LogWarning(exception, "Store unavailable for request {RequestId}", requestId);
                return (503, new ErrorBody(ErrorCode.ServiceUnavailable.WireName(), MessageCatalog.Text(ErrorText.ServiceUnavailable, language), null));
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return (413, new ErrorBody(ErrorCode.PayloadTooLarge.WireName(), MessageCatalog.Text(ErrorText.PayloadTooLarge, language), null));
            default:
                logger.LogError(exception, "Unhandled error for request {RequestId}", requestId);
                return (500, new ErrorBody(ErrorCode.InternalError.WireName(), MessageCatalog.Text(ErrorText.InternalError, language, requestId), null));
        }
    }
}
