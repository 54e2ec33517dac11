using Interflow.Core;

namespace Interflow.Api.Composition;


/// <summary>The <c>Interflow</c> configuration section (environment: <c>Interflow__Store</c>, …).</summary>
public sealed class InterflowOptions
{
    public const string Section = "Interflow";

    /// <summary><c>sqlite</c> (embedded, the local default) or <c>cosmos</c>.</summary>
    public string Store { get; set; } = "sqlite";

    [LocalOnly]
    public string SqlitePath { get; set; } = ".data/interflow.db";

    public CosmosOptions Cosmos { get; set; } = new();

    /// <summary>Prepended to queue names so that test servers can share one storage emulator; empty in Azure, where the Functions triggers name the queues.</summary>
    [LocalOnly]
    public string QueuePrefix { get; set; } = "";

    /// <summary>Outbound delivery retries: attempts, backoff, lease.</summary>
    public Core.Messages.DeliveryPolicy Outbound { get; set; } = new();

    /// <summary>How concurrent sends of one tenant and channel are grouped into blocks.</summary>
    public Core.Messages.SendGroupOptions SendGroups { get; set; } = new();

    /// <summary>When the sandbox reports its messages delivered and read.</summary>
    public Infrastructure.Channels.SandboxOptions Sandbox { get; set; } = new();

    /// <summary>Webhook delivery: retry schedule, timeout, and (local runs) plain http to loopback.</summary>
    public Core.Webhooks.WebhookOptions Webhooks { get; set; } = new();

    /// <summary>When a bulk job that stopped moving has its open chunks enqueued again.</summary>
    public Core.Bulk.BulkOptions Bulk { get; set; } = new();

    /// <summary>Later passes of poisoned queue messages before each queue's final answer.</summary>
    public Infrastructure.Queues.QueueOptions Queues { get; set; } = new();

    /// <summary>When the event relay's sweep takes over an outbox a crash left behind.</summary>
    public Core.Events.RelayOptions Events { get; set; } = new();

    /// <summary>The WhatsApp Cloud API endpoint (tests point it at a local stub).</summary>
    public Infrastructure.Channels.WhatsAppOptions WhatsApp { get; set; } = new();

    /// <summary>Which traces are exported; the exporters themselves follow the standard settings (<see cref="Infrastructure.Telemetry.TelemetryExport"/>).</summary>
    public Infrastructure.Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Create and print a bootstrap account and keys when the store is empty (local runs only).</summary>
    [LocalOnly]
    public bool Bootstrap { get; set; }

    /// <summary>How long a verified API key is trusted without a store read; a revocation takes this long to reach other instances.</summary>
    public int ApiKeyCacheSeconds { get; set; } = 30;

    /// <summary>How long a channel read is kept per instance (0: not cached); see <see cref="ChannelReadCache"/>.</summary>
    public int ChannelCacheSeconds { get; set; } = 60;

    /// <summary>
    /// When set, admin routes require it in <c>x-functions-key</c>. In Azure the Functions host checks its own
    /// function keys before the code runs, so this stays empty there.
    /// </summary>
    [LocalOnly]
    public string? AdminKey { get; set; }
}

public sealed class CosmosOptions
{
    /// <summary>Account endpoint; with no <see cref="Key"/> the app signs in with its managed identity.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Account key, for local runs and the emulator only.</summary>
    [LocalOnly]
    public string? Key { get; set; }

    public string Database { get; set; } = "interflow";

    /// <summary>Accept the emulator's self-signed certificate and talk to the endpoint only (gateway mode).</summary>
    [LocalOnly]
    public bool Emulator { get; set; }
}
