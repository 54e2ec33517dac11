using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

public static class CosmosClientFactory
{
    /// <summary>
    /// With a key (local, emulator) the client signs in with it; without one it uses the app's managed identity, as
    /// in Azure, where no keys are configured at all.
    /// </summary>
    /// <param name="emulator">Gateway mode to the endpoint only, accepting the emulator's self-signed certificate.</param>
    public static CosmosClient Create(string endpoint, string? key, bool emulator)
    {
        var options = new CosmosClientOptions
        {
            Serializer = new CosmosJsonSerializer(),
            ApplicationName = "interflow-functions",
        };
        if (emulator)
        {
            options.ConnectionMode = ConnectionMode.Gateway;
            options.LimitToEndpoint = true;
            options.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }
        return string.IsNullOrEmpty(key)
            ? new CosmosClient(endpoint, new DefaultAzureCredential(), options)
            : new CosmosClient(endpoint, key, options);
    }
}
