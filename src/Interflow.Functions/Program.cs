using Interflow.Api.Composition;
using Interflow.Core.Bulk;
using Interflow.Infrastructure.Queues;
using Interflow.Infrastructure.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// Real HttpRequest / IResult in functions; responses are serialized by the API pipeline with its own JSON options.
builder.ConfigureFunctionsWebApplication();

// The same composition the test server uses; bulk jobs start their durable orchestration through a queue.
builder.Services.AddInterflow(builder.Configuration);
if (TelemetryExport.IsEnabled(builder.Configuration))
{
    // The worker's span of each invocation, a child of the host's (host.json: telemetryMode OpenTelemetry), over the app's own.
    builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
}
builder.Services.AddSingleton<IBulkOrchestrator, QueuedBulkStart>();

var app = builder.Build();
try
{
    await InterflowComposition.InitializeAsync(app.Services, CancellationToken.None);
}
catch (StorageUnreachableException unreachable)
{
    // A local run without Azurite: one line naming where it looked, not the storage client's stack traces.
    Console.Error.WriteLine($"Interflow: {unreachable.Message}. Start Azurite, or point AzureWebJobsStorage at a reachable storage account.");
    return 1;
}
await app.RunAsync();
return 0;
