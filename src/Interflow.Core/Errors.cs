namespace Interflow.Core;

/// <summary>The resource does not exist for this tenant (a foreign id is indistinguishable from a missing one).</summary>
public sealed class NotFoundException() : Exception("not found");

/// <summary>A unique value (an email, a phone) is already taken by another record of the same tenant.</summary>
public sealed class DuplicateValueException(string field) : Exception($"duplicate {field}")
{
    public string Field { get; } = field;
}

/// <summary>The caller's or the store's expected version no longer matches the stored record.</summary>
public sealed class VersionMismatchException() : Exception("version mismatch");

/// <summary>The request conflicts with existing data of the tenant, e.g. an email already used by another customer.</summary>
public sealed class ConflictException(string field) : Exception($"conflict on {field}")
{
    public string Field { get; } = field;
}

/// <summary>The store is throttling or briefly unreachable; the request may be retried as it is.</summary>
public sealed class StoreUnavailableException(Exception inner) : Exception("store unavailable", inner);
