using Interflow.Core.Accounts;
using Interflow.Core.Paging;

namespace Interflow.Core.Webhooks;

public interface IWebhookEndpointStore
{
    Task<WebhookEndpoint> CreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    Task<WebhookEndpoint?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <summary>All of a tenant's endpoints, newest first: a handful per account, read whole by the fan-out.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    Task<WebhookEndpoint> ReplaceAsync(WebhookEndpoint endpoint, string expectedETag, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken);
}

public interface IWebhookDeliveryStore
{
    /// <exception cref="DuplicateValueException">It exists already ("id").</exception>
    Task<WebhookDelivery> CreateAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Creates those that do not exist yet, in one write.</summary>
    /// <returns>Per item: the delivery as stored, and whether this call created it (else it existed and is returned as it is).</returns>
    Task<IReadOnlyList<(WebhookDelivery Delivery, bool Created)>> CreateManyAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken);

    Task<WebhookDelivery?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken);

    /// <exception cref="VersionMismatchException">Someone else wrote it first.</exception>
    Task<WebhookDelivery> ReplaceAsync(WebhookDelivery delivery, string expectedETag, CancellationToken cancellationToken);

    /// <summary>Replaces each delivery only if it is still at its expected ETag, in one write.</summary>
    /// <returns>Per item, the saved delivery, or null when someone else wrote it first.</returns>
    Task<IReadOnlyList<WebhookDelivery?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<WebhookDelivery>> writes, CancellationToken cancellationToken);

    /// <summary>An endpoint's deliveries, newest first.</summary>
    Task<Page<WebhookDelivery>> ListAsync(Tenant tenant, string endpointId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of an endpoint's <see cref="WebhookDelivery.Waiting"/> deliveries, oldest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListWaitingAsync(Tenant tenant, string endpointId, int limit, CancellationToken cancellationToken);
}
