using Interflow.TestServer;
using System.Net;
using System.Text.Json;

namespace Interflow.Api.Tests.Messaging;

public static class MessagingCalls
{
    public static async Task<string> CreateSandboxChannelAsync(this HttpClient client, int? messagesPerSecond = null)
    {
        var response = await client.PostApiAsync("v1/channels", messagesPerSecond is null
            ? new { name = "Sandbox", kind = "sandbox" }
            : new { name = "Sandbox", kind = "sandbox", messages_per_second = messagesPerSecond });
        Assert.Equal(HttpStatusCode.Created, response.Status);
        return response.Data.GetProperty("id").GetString()!;
    }

    public static object Text(string channelId, string to, string text = "Olá! Esta é uma mensagem via API.") =>
        new { channel_id = channelId, to, type = "text", content = new { text } };

    public static async Task<JsonElement> GetMessageAsync(this HttpClient client, string id) =>
        (await client.GetApiAsync($"v1/messages/{id}")).Data;

    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, string id, string status) =>
        Eventually.MatchAsync(() => client.GetMessageAsync(id), m => m.GetProperty("status").GetString() == status);
}
