using Interflow.Api.Channels;
using Interflow.Api.Chats;
using Interflow.Api.Http;
using Interflow.Api.Inbound;
using Interflow.Api.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Http;

/// <summary>Channels, messages, chats and the provider webhook; each function hands its request to the API pipeline with its route.</summary>
public sealed class MessagingFunctions(ApiPipeline api)
{
    [Function("ListChannels")]
    public Task<IResult> ListChannels(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChannelsApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChannelsApi.List);

    [Function("CreateChannel")]
    public Task<IResult> CreateChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChannelsApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChannelsApi.Create);

    [Function("GetChannel")]
    public Task<IResult> GetChannel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChannelsApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChannelsApi.Get);

    [Function("SendMessage")]
    public Task<IResult> SendMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MessagesApi.Send)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, MessagesApi.SendRoute);

    [Function("GetMessage")]
    public Task<IResult> GetMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MessagesApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, MessagesApi.Get);

    [Function("ListChats")]
    public Task<IResult> ListChats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChatsApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChatsApi.List);

    [Function("CreateChat")]
    public Task<IResult> CreateChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChatsApi.Collection)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChatsApi.Create);

    [Function("GetChat")]
    public Task<IResult> GetChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChatsApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChatsApi.Get);

    [Function("UpdateChat")]
    public Task<IResult> UpdateChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ChatsApi.Item)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChatsApi.Update);

    [Function("ListChatMessages")]
    public Task<IResult> ListChatMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ChatsApi.ItemMessages)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, ChatsApi.Messages);

    [Function("WhatsAppWebhookVerify")]
    public Task<IResult> WhatsAppWebhookVerify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WhatsAppWebhookApi.Route)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WhatsAppWebhookApi.Verify);

    [Function("WhatsAppWebhookReceive")]
    public Task<IResult> WhatsAppWebhookReceive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WhatsAppWebhookApi.Route)] HttpRequest request) =>
        api.RunAsync(request.HttpContext, WhatsAppWebhookApi.Receive);
}
