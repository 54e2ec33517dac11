using System.Text.Json.Serialization;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Messages;

namespace Interflow.Core.Bulk;

public enum BulkStatus
{
    Queued,
    Processing,
    Completed,
    Cancelled,
}

/// <summary>A bulk send. Counts come from its chunks; <see cref="Queued"/> is what is not settled yet.</summary>
/// <param name="CancelRequested">Set by cancel; chunks stop handing recipients to the provider once they see it.</param>
public sealed record BulkJob(
    string Id,
    Tenant Tenant,
    string ChannelId,
    BulkStatus Status,
    int Total,
    int Sent,
    int Failed,
    int Cancelled,
    int Chunks,
    bool CancelRequested,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<DomainEvent> Outbox,
    string ETag = "")
{
    public int Queued => Total - Sent - Failed - Cancelled;

    /// <summary>When a refresh last found a chunk settled since the one before (or the job started processing).</summary>
    public DateTimeOffset? ProgressAt { get; init; }
}

/// <summary>How a job that stopped moving is taken up again.</summary>
public sealed class BulkOptions
{
    /// <summary>
    /// With no chunk settled for this long, every open chunk gets a queue message again: one may be held by a process
    /// that died (the Functions host keeps a received queue message invisible for 10 minutes). Longer than a chunk
    /// takes on the slowest channel (100 recipients at 1/s).
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>One recipient with its resolved message (shared content and its variables already applied).</summary>
public sealed record BulkRecipient(string To, MessageType Type, JsonElement Content);

/// <summary>Up to <see cref="BulkSends.ChunkSize"/> recipients, handled by one queue message; its counts say what happened to them.</summary>
public sealed record BulkChunk(
    string JobId,
    int Index,
    IReadOnlyList<BulkRecipient> Recipients,
    bool Done,
    int Sent,
    int Failed,
    int Cancelled,
    string ETag = "")
{
    public string Id => $"{JobId}-{Index:D5}";
}

/// <summary>Work on the bulk queue: one chunk, by id.</summary>
public sealed record BulkChunkWork(string AccountId, string Environment, string JobId, int Index)
{
    // Derived from the ids: queue messages and activity inputs carry ids only.
    [JsonIgnore]
    public Tenant Tenant => new(AccountId, ApiEnvironmentNames.Parse(Environment));
}

/// <summary>What the durable orchestration (or the test server's runner) is given: the job, by id.</summary>
/// <param name="TraceParent">The trace of the request that submitted the job (W3C <c>traceparent</c>), which its
/// coordination and chunks continue, across the orchestration's own invocations.</param>
public sealed record BulkJobRef(string AccountId, string Environment, string JobId, string? TraceParent = null)
{
    // Derived from the ids: queue messages and activity inputs carry ids only.
    [JsonIgnore]
    public Tenant Tenant => new(AccountId, ApiEnvironmentNames.Parse(Environment));
}
