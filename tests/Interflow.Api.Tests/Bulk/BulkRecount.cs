using System.Net;
using System.Text.Json;
using Interflow.Core.Bulk;
using Interflow.TestServer;

namespace Interflow.Api.Tests.Bulk;

/// <summary>A job's recipients counted by their stored messages, through the API, to hold the job's own counts to.</summary>
public static class BulkRecount
{
    /// <summary>Each recipient's stored message, by the id the job derives from its position (null: never created).</summary>
    public static async Task<IReadOnlyList<JsonElement?>> MessagesAsync(HttpClient client, string jobId, int recipients)
    {
        var messages = new List<JsonElement?>();
        for (var i = 0; i < recipients; i++)
        {
            var response = await client.GetApiAsync($"v1/messages/{BulkSends.MessageId(jobId, i / BulkSends.ChunkSize, i % BulkSends.ChunkSize)}");
            messages.Add(response.Status == HttpStatusCode.OK ? response.Data : null);
        }
        return messages;
    }

    /// <summary>The counts a job must show for these messages.</summary>
    public static (int Sent, int Failed, int Queued, int Cancelled) Count(IReadOnlyList<JsonElement?> messages) => (
        messages.Count(m => m?.GetProperty("status").GetString() is "sent" or "delivered" or "read"),
        messages.Count(m => m?.GetProperty("status").GetString() == "failed"),
        messages.Count(m => m?.GetProperty("status").GetString() == "queued"),
        messages.Count(m => m is null));

    /// <summary>The job's own counts, in <see cref="Count"/>'s order.</summary>
    public static (int Sent, int Failed, int Queued, int Cancelled) Counts(JsonElement job) => (
        job.GetProperty("sent").GetInt32(), job.GetProperty("failed").GetInt32(), job.GetProperty("queued").GetInt32(), job.GetProperty("cancelled").GetInt32());
}
