namespace Interflow.Core.Events;

/// <summary>Builds events whose <c>data</c> is the resource as the API shows it at that moment.</summary>
public sealed class EventFactory(IResourceSerializer serializer)
{
    /// <param name="discriminator">Tells apart repeated changes of one kind (a chat closed twice); empty for once-only ones.</param>
    public DomainEvent Create(string type, string resourceId, object resource, DateTimeOffset at, string discriminator = "") =>
        new(DomainEvent.IdFor(resourceId, type, discriminator), type, at, serializer.Serialize(resource));
}
