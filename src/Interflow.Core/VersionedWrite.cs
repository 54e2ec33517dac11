namespace Interflow.Core;

/// <summary>A record to write only if the store still holds the version the writer read (optimistic concurrency).</summary>
public sealed record VersionedWrite<T>(T Record, string ExpectedETag);
