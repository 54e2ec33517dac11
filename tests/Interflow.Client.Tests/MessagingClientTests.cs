using System.Net;
using Interflow.TestServer;

namespace Interflow.Client.Tests;

public sealed class MessagingClientTests(ClientFixture fixture) : IClassFixture<ClientFixture>
{
    [Fact]
    public async Task Channels_messages_and_chats_through_the_client()
    {
        var (client, _) = await fixture.NewClientAsync();
        var channel = await client.Channels.CreateAsync(NewChannel.Sandbox("Loja", messagesPerSecond: 50));
        var refused = await Assert.ThrowsAsync<InterflowApiException>(() => client.Channels.CreateAsync(
            NewChannel.WhatsAppCloud("WhatsApp", new WhatsAppCredentials("", "token", "secret", "verify"))));

        var text = await client.Messages.SendAsync(new SendMessage(channel.Id, "5511999999999", new TextContent("Olá, João!"),
            Metadata: new Dictionary<string, object?> { ["pedido"] = 42 }));
        var image = await client.Messages.SendAsync(new SendMessage(channel.Id, "5511999999999", MediaContent.Image("https://example.com/a.png", "Produto")));
        var document = await client.Messages.SendAsync(new SendMessage(channel.Id, "5511999999999", MediaContent.Document("https://example.com/a.pdf", "nota.pdf")));
        var location = await client.Messages.SendAsync(new SendMessage(channel.Id, "5511999999999", new LocationContent(-23.56, -46.65, "Loja", "Av. Paulista")));
        var template = await client.Messages.SendAsync(new SendMessage(channel.Id, "5511999999999", new TemplateContent("pedido_enviado", "pt_BR", ["João"])));
        var read = await Eventually.MatchAsync(() => client.Messages.GetAsync(text.Id), m => m.Status == "read");

        Assert.Equal(channel, await client.Channels.GetAsync(channel.Id));
        Assert.Contains(channel, await client.Channels.ListAllAsync().ToListAsync());
        Assert.Equal(("sandbox", 50, null), (channel.Kind, channel.MessagesPerSecond, channel.Whatsapp));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(["text", "image", "document", "location", "template"], new[] { text, image, document, location, template }.Select(m => m.Type));
        Assert.Equal("Olá, João!", text.Content.GetProperty("text").GetString());
        Assert.Equal("nota.pdf", document.Content.GetProperty("filename").GetString());
        Assert.Equal(42, text.Metadata!.Value.GetProperty("pedido").GetInt32());
        Assert.Equal(("read", "5511999999999", "outbound"), (read.Status, read.To, read.Direction));
        Assert.NotNull(read.SentAt);
        Assert.NotNull(read.ReadAt);

        var chat = await client.Chats.OpenAsync(NewChat.ForPhone(channel.Id, "5511999999999"));
        var sameChat = await client.Chats.OpenAsync(NewChat.ForCustomer(channel.Id, text.CustomerId));
        var messages = await client.Chats.ListAllMessagesAsync(chat.Id).ToListAsync();
        var newest = await client.Chats.ListMessagesAsync(chat.Id, order: "desc", perPage: 2);
        var closed = await client.Chats.UpdateAsync(chat.Id, ChatChanges.Close, ifMatch: (await client.Chats.GetAsync(chat.Id)).ETag);
        var closedList = await client.Chats.ListAsync(new ChatFilter(Status: "closed", ChannelId: channel.Id));
        var reopened = await client.Chats.UpdateAsync(chat.Id, ChatChanges.Reopen);
        var markedRead = await client.Chats.UpdateAsync(chat.Id, ChatChanges.MarkRead);

        Assert.Equal(text.ChatId, chat.Id);
        Assert.Equal(chat.Id, sameChat.Id);
        Assert.Equal([text.Id, image.Id, document.Id, location.Id, template.Id], messages.Select(m => m.Id));
        Assert.Equal([template.Id, location.Id], newest.Items.Select(m => m.Id));
        Assert.Equal(5, newest.Total);
        Assert.Equal("closed", closed.Status);
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal(chat.Id, Assert.Single(closedList.Items).Id);
        Assert.Equal("open", reopened.Status);
        Assert.Equal(0, markedRead.UnreadCount);
        Assert.Contains(await client.Chats.ListAllAsync(new ChatFilter(CustomerId: text.CustomerId)).ToListAsync(), c => c.Id == chat.Id);
    }

    [Fact]
    public async Task Bulk_sends_complete_or_cancel_with_counts_that_add_up()
    {
        var (client, _) = await fixture.NewClientAsync();
        var channel = await client.Channels.CreateAsync(NewChannel.Sandbox("Campanhas", messagesPerSecond: 1000));
        var slow = await client.Channels.CreateAsync(NewChannel.Sandbox("Lenta", messagesPerSecond: 2));

        var shared = await client.Bulk.SubmitAsync(BulkSend.Shared(channel.Id, new TextContent("Olá {{1}}, seu pedido {{2}} saiu"),
            [.. Enumerable.Range(0, 30).Select(i => new BulkRecipient($"55119{i:D8}", [$"Cliente {i}", $"#{i}"]))]));
        var individual = await client.Bulk.SubmitAsync(BulkSend.Individual(channel.Id,
            [new BulkMessage("5511911111111", new TextContent("Oi")), new BulkMessage("5511922222222", MediaContent.Image("https://example.com/a.png"))]));
        var paced = await client.Bulk.SubmitAsync(BulkSend.Shared(slow.Id, new TextContent("Promoção"),
            [.. Enumerable.Range(0, 200).Select(i => new BulkRecipient($"551197{i:D7}"))]));
        var cancelling = await client.Bulk.CancelAsync(paced.Id);

        var done = await Eventually.MatchAsync(() => client.Bulk.GetAsync(shared.Id), j => j.IsFinished, TimeSpan.FromSeconds(60));
        var doneToo = await Eventually.MatchAsync(() => client.Bulk.GetAsync(individual.Id), j => j.IsFinished, TimeSpan.FromSeconds(60));
        var cancelled = await Eventually.MatchAsync(() => client.Bulk.GetAsync(paced.Id), j => j.IsFinished, TimeSpan.FromSeconds(60));

        Assert.Equal(("queued", 30), (shared.Status, shared.Total));
        Assert.Equal(("completed", 30, 30), (done.Status, done.Total, done.Sent + done.Failed));
        Assert.Equal(("completed", 2), (doneToo.Status, doneToo.Sent));
        Assert.True(cancelling.CancelRequested);
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal(cancelled.Total, cancelled.Queued + cancelled.Sent + cancelled.Failed + cancelled.Cancelled);
        Assert.True(cancelled.Cancelled > 0, $"{cancelled.Sent} of 200 were sent at 2/s before the cancel");
    }
}
