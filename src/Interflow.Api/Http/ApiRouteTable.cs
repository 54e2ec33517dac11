using Interflow.Api.Admin;
using Interflow.Api.Bulk;
using Interflow.Api.Channels;
using Interflow.Api.Chats;
using Interflow.Api.Console;
using Interflow.Api.Customers;
using Interflow.Api.Docs;
using Interflow.Api.Inbound;
using Interflow.Api.Messages;
using Interflow.Api.Webhooks;

namespace Interflow.Api.Http;

/// <summary>Every route of the product. The Functions app declares one function per entry; the test server maps these.</summary>
public static class ApiRouteTable
{
    public static IReadOnlyList<ApiRoute> All { get; } = [
        .. CustomersApi.Routes, .. ChannelsApi.Routes, .. MessagesApi.Routes, .. BulkApi.Routes, .. ChatsApi.Routes, .. WebhooksApi.Routes,
        .. DocsApi.Routes,
        .. ConsoleApi.Routes,
        .. WhatsAppWebhookApi.Routes,
        .. AdminApi.Routes,
    ];
}
