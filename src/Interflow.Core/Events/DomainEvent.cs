using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Interflow.Core.Events;

/// <summary>
/// Something that happened to a resource, as webhooks deliver it: <c>{id, type, created_at, data}</c> where
/// <c>data</c> is the resource as the API shows it at that moment.
/// </summary>
public sealed record DomainEvent(string Id, string Type, DateTimeOffset CreatedAt, JsonElement Data)
{
    /// <summary>
    /// The id is derived from the resource and the change, so recording the same change twice (a retried queue
    /// message, a relay after a crash) yields the same event, which consumers de-duplicate.
    /// </summary>
    public static string IdFor(string resourceId, string type, string discriminator = "") =>
        "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{resourceId}|{type}|{discriminator}")))[..24];
}

public static class EventTypes
{
    public const string MessageSent = "message.sent";
    public const string MessageDelivered = "message.delivered";
    public const string MessageRead = "message.read";
    public const string MessageFailed = "message.failed";
    public const string MessageReceived = "message.received";
    public const string ChatCreated = "chat.created";
    public const string ChatClosed = "chat.closed";
    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerDeleted = "customer.deleted";
    public const string BulkCompleted = "bulk.completed";

    public static IReadOnlyList<string> All { get; } =
    [
        MessageSent, MessageDelivered, MessageRead, MessageFailed, MessageReceived, ChatCreated, ChatClosed,
        CustomerCreated, CustomerUpdated, CustomerDeleted, BulkCompleted,
    ];
}
