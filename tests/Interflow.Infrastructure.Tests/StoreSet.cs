using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using Interflow.Core.Idempotency;
using Interflow.Core.RateLimiting;

namespace Interflow.Infrastructure.Tests;

/// <summary>One implementation of every store port, on a store no other test class uses.</summary>
public sealed record StoreSet(
    IAccountStore Accounts,
    ICustomerStore Customers,
    IIdempotencyStore Idempotency,
    IRateLimitStore RateLimits,
    IChannelStore Channels,
    IChatStore Chats,
    IMessageStore Messages,
    IEventLog Events,
    IOutboxSource ChatOutbox,
    Core.Webhooks.IWebhookEndpointStore WebhookEndpoints,
    Core.Webhooks.IWebhookDeliveryStore WebhookDeliveries,
    Core.Bulk.IBulkStore Bulk,
    IRecipientBatchStore RecipientBatches,
    IMemberStore Members,
    IConsoleSessionStore Sessions,
    Func<ValueTask> Cleanup);
