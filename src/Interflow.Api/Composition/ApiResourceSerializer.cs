using System.Text.Json;
using Interflow.Api.Bulk;
using Interflow.Api.Chats;
using Interflow.Api.Customers;
using Interflow.Api.Http;
using Interflow.Api.Messages;
using Interflow.Core.Bulk;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Events;
using Interflow.Core.Messages;

namespace Interflow.Api.Composition;

/// <summary>Event <c>data</c> is the resource exactly as the API answers it.</summary>
public sealed class ApiResourceSerializer : IResourceSerializer
{
    public JsonElement Serialize(object resource) => resource switch
    {
        Customer customer => JsonSerializer.SerializeToElement(CustomerView.From(customer), ApiJson.Options),
        Chat chat => JsonSerializer.SerializeToElement(ChatView.From(chat), ApiJson.Options),
        Message message => JsonSerializer.SerializeToElement(MessageView.Of(message), ApiJson.Options),
        BulkJob job => JsonSerializer.SerializeToElement(BulkJobView.From(job), ApiJson.Options),
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource.GetType().Name, "no API view for this resource"),
    };

    public byte[] EventBody(DomainEvent domainEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(new EventView(domainEvent.Id, domainEvent.Type, domainEvent.CreatedAt, domainEvent.Data), ApiJson.Options);

    private sealed record EventView(string Id, string Type, DateTimeOffset CreatedAt, JsonElement Data);
}
