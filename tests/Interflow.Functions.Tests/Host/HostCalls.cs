using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Interflow.Functions.Tests.Host;

/// <summary>Calls the host tests make through the API: an envelope's data at an expected status, a list's total.</summary>
internal static class HostCalls
{
    public static async Task<JsonElement> DataAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    public static async Task<int> TotalAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path + (path.Contains('?') ? "&" : "?") + "per_page=1")).GetProperty("meta").GetProperty("total").GetInt32();
}
