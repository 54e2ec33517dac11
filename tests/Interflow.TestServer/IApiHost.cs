namespace Interflow.TestServer;

/// <summary>Somewhere the API is served: the test server in this process, or the Functions app in a Functions host.</summary>
public interface IApiHost
{
    Uri BaseAddress { get; }

    /// <summary>A client for the API; with a key it sends <c>Authorization: Bearer</c>.</summary>
    HttpClient CreateClient(string? apiKey = null);

    /// <summary>A client for the operator's <c>manage/</c> routes, with the key they take as <c>x-functions-key</c>.</summary>
    HttpClient CreateAdminClient();
}
