using System.Text.Json;

namespace Interflow.Core.Events;

/// <summary>Renders a resource as the API shows it, for the <c>data</c> of its events (implemented by the API layer).</summary>
public interface IResourceSerializer
{
    JsonElement Serialize(object resource);

    /// <summary>An event as webhooks deliver it: <c>{id, type, created_at, data}</c>.</summary>
    byte[] EventBody(DomainEvent domainEvent);
}
