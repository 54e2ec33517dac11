using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Interflow.Api.Tests;

/// <summary>A response read once: status, headers and the parsed envelope.</summary>
public sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, JsonElement Body, string Raw)
{
    public JsonElement Data => Body.GetProperty("data");

    public string ErrorCode => Body.GetProperty("error").GetProperty("code").GetString()!;

    public string ErrorMessage => Body.GetProperty("error").GetProperty("message").GetString()!;

    /// <summary>The <c>details</c> of an error as "field: message" pairs.</summary>
    public IReadOnlyList<(string Field, string Message)> Details =>
        Body.GetProperty("error").TryGetProperty("details", out var details)
            ? details.EnumerateArray().Select(d => (d.GetProperty("field").GetString()!, d.GetProperty("message").GetString()!)).ToArray()
            : [];

    public string Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}

public static class ApiCalls
{
    public static Task<ApiResponse> GetApiAsync(this HttpClient client, string path, Action<HttpRequestMessage>? configure = null) =>
        client.CallAsync(HttpMethod.Get, path, null, configure);

    public static Task<ApiResponse> PostApiAsync(this HttpClient client, string path, object? body, Action<HttpRequestMessage>? configure = null) =>
        client.CallAsync(HttpMethod.Post, path, body, configure);

    public static Task<ApiResponse> PutApiAsync(this HttpClient client, string path, object? body, Action<HttpRequestMessage>? configure = null) =>
        client.CallAsync(HttpMethod.Put, path, body, configure);

    public static Task<ApiResponse> DeleteApiAsync(this HttpClient client, string path) =>
        client.CallAsync(HttpMethod.Delete, path, null, null);

    /// <param name="body">An object is sent as JSON; a string is sent as it is, as <c>application/json</c>.</param>
    public static async Task<ApiResponse> CallAsync(
        this HttpClient client, HttpMethod method, string path, object? body, Action<HttpRequestMessage>? configure)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var json = raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone();
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, json, raw);
    }

    /// <summary>A valid new customer with a unique email and phone.</summary>
    public static object NewCustomer(string? name = null) => new
    {
        name = name ?? "João Silva",
        email = $"joao.{Guid.NewGuid():N}@email.com",
        phone = UniquePhone(),
        tags = new[] { "vip", "newsletter" },
        custom_fields = new Dictionary<string, object> { ["empresa"] = "Empresa XYZ", ["cargo"] = "Gerente" },
    };

    private static int phoneCounter = Random.Shared.Next(0, 1_000_000);

    /// <summary>A real São Paulo mobile number, different on every call, never one of the sandbox's test numbers.</summary>
    public static string UniquePhone()
    {
        while (true)
        {
            var n = Interlocked.Increment(ref phoneCounter) % 10_000_000;
            // The sandbox fails numbers ending in 0000 and never delivers those ending in 0001: a bulk test's 150 or 600
            // consecutive numbers would cross one of them now and then.
            if (n % 10_000 > 1)
            {
                return $"551198{n:D7}";
            }
        }
    }

    public static async Task<string> CreateCustomerIdAsync(this HttpClient client, object? body = null)
    {
        var response = await client.PostApiAsync("v1/customers", body ?? NewCustomer());
        Assert.Equal(HttpStatusCode.Created, response.Status);
        return response.Data.GetProperty("id").GetString()!;
    }
}
