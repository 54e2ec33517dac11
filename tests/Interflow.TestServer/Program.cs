using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Interflow.Infrastructure.Queues;
using Interflow.TestServer;

// Standalone test server: `dotnet run --project tests/Interflow.TestServer -- [--port N] [--db PATH] [--queue-prefix P]`.
// It is also scripts/run.sh's last resort where no Functions host runs: the same routes, pipeline, stores and queues.
// The admin key for manage/ routes is Interflow__AdminKey where set (as in the Functions app), else a fixed local one.
// A fresh store (a new temporary file unless --db names one) gets a bootstrap account whose keys are printed.
// The queues belong to the store: their prefix is derived from its path unless --queue-prefix names one, so that a
// server started again on the same --db takes up the queues (and so the jobs and retries) of the one before.
// `-- --write-openapi DIR` writes the OpenAPI documents (openapi.json, openapi.internal.json) instead (scripts/openapi.sh).
if (args is ["--write-openapi", var directory])
{
    Directory.CreateDirectory(directory);
    await File.WriteAllTextAsync(Path.Combine(directory, "openapi.json"), Interflow.Api.OpenApi.OpenApiDocuments.Public);
    await File.WriteAllTextAsync(Path.Combine(directory, "openapi.internal.json"), Interflow.Api.OpenApi.OpenApiDocuments.Internal);
    Console.WriteLine($"wrote {Path.Combine(directory, "openapi.json")} and openapi.internal.json");
    return 0;
}
var port = 0;
string? db = null;
string? queuePrefix = null;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--db": db = args[++i]; break;
        case "--queue-prefix": queuePrefix = args[++i]; break;
    }
}
var settings = new TestServerSettings { Port = port, Bootstrap = true, Quiet = false, CheckResponses = false };
settings.Configuration["Interflow:Webhooks:AllowLoopbackHttp"] = "true";
if (db is not null)
{
    settings.SqlitePath = db;
}
if (Environment.GetEnvironmentVariable("Interflow__AdminKey") is { Length: > 0 } adminKey)
{
    settings.AdminKey = adminKey;
}
// Lower-case letters, digits and one hyphen: a valid start of a queue name, short enough for the longest one.
settings.QueuePrefix = queuePrefix
    ?? "s" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(settings.SqlitePath))))[..10] + "-";
InterflowTestServer started;
try
{
    started = await InterflowTestServer.StartAsync(settings);
}
catch (StorageUnreachableException unreachable)
{
    Console.Error.WriteLine($"Interflow test server: {unreachable.Message}. Start Azurite (bash scripts/run.sh does), or name the storage in INTERFLOW_TEST_STORAGE.");
    return 1;
}
await using var server = started;
Console.WriteLine($"""
    Interflow test server (not a production host) listening on {server.BaseAddress}
      store: {settings.SqlitePath}
      queues: {settings.QueuePrefix}* (the store's: a server started again on it resumes its jobs)
      admin routes: header 'x-functions-key: {server.AdminKey}'
    {(server.Bootstrap is null ? "  the store already had accounts: use the keys printed when it was created" : "")}
    Press Ctrl+C to stop.
    """);
// The host's console lifetime owns Ctrl+C and SIGTERM: wait for it to stop the server.
await server.WaitForShutdownAsync();
return 0;
