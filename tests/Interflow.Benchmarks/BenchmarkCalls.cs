using System.Net.Http.Json;
using System.Text.Json;

namespace Interflow.Benchmarks;

/// <summary>The benchmarks' two ways to make a call: counting its outcome under load, or needing its data to go on.</summary>
public static class BenchmarkCalls
{
    /// <summary>Reads the whole answer (as a client does) and says whether it was a 2xx.</summary>
    public static async Task<bool> Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode;
    }

    /// <summary>The envelope's <c>data</c>; anything but a 2xx stops the benchmark, saying what came back.</summary>
    public static async Task<JsonElement> Data(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? body.GetProperty("data") : throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
    }
}
