using System.Threading.Channels;
using Interflow.Core.Bulk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Interflow.TestServer;

/// <summary>
/// What the durable orchestration does in Azure, run in-process: enqueue the chunks, then refresh progress until the
/// job is settled. Same host-agnostic steps (<see cref="BulkSends"/>), without the durability the test server does not need.
/// </summary>
public sealed class InProcessBulkOrchestrator(IServiceProvider services, ILogger<InProcessBulkOrchestrator> logger) : BackgroundService, IBulkOrchestrator
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(200);
    private readonly Channel<BulkJobRef> jobs = Channel.CreateUnbounded<BulkJobRef>();

    public Task StartAsync(BulkJobRef job, CancellationToken cancellationToken) => jobs.Writer.WriteAsync(job, cancellationToken).AsTask();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var job in jobs.Reader.ReadAllAsync(stoppingToken))
            {
                running.Add(RunAsync(job, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running);
    }

    private async Task RunAsync(BulkJobRef job, CancellationToken stoppingToken)
    {
        // Resolved here, not injected: BulkSends itself depends on this orchestrator.
        var bulk = services.GetRequiredService<BulkSends>();
        try
        {
            await bulk.EnqueueChunksAsync(job, stoppingToken);
            while (!await bulk.RefreshAsync(job, stoppingToken))
            {
                await Task.Delay(RefreshEvery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Bulk job {JobId} coordination failed", job.JobId);
        }
    }
}
