using System.Net;
using Interflow.Core;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Turns Cosmos DB throttling and outages into the port's "try again" error.</summary>
public static class CosmosCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (CosmosException exception) when (exception.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout)
        {
            throw new StoreUnavailableException(exception);
        }
    }

    /// <summary>Cosmos DB's limit on the operations of one transactional batch.</summary>
    public const int MaxBatch = 100;

    /// <summary>
    /// One transactional batch: operations on one partition, all or nothing. Throttling and outages are the port's
    /// "try again"; any other failure is in the response's status (the status of the operation that failed it).
    /// </summary>
    public static async Task<TransactionalBatchResponse> BatchAsync(
        Container container, PartitionKey partitionKey, Action<TransactionalBatch> fill, CancellationToken cancellationToken)
    {
        var batch = container.CreateTransactionalBatch(partitionKey);
        fill(batch);
        var response = await RunAsync(() => batch.ExecuteAsync(cancellationToken));
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new StoreUnavailableException(new HttpRequestException($"transactional batch: {status}", null, status));
        }
        return response;
    }

    /// <summary>
    /// Items of one partition written as transactional batches of at most <see cref="MaxBatch"/>, each all or nothing,
    /// when there are several; one by one for a single item (no batch overhead), and for a batch that
    /// <paramref name="settle"/> says to write so (one item's conflict or precondition, which single writes settle
    /// item by item).
    /// </summary>
    /// <param name="written">Called for each item a batch wrote, with its new ETag.</param>
    /// <param name="settle">What a failed batch means: null to write its items one by one, else the exception to throw.</param>
    public static async Task InBatchesAsync<T>(
        Container container, PartitionKey partition, IReadOnlyList<T> items, Action<TransactionalBatch, T> add, Action<T, string> written,
        Func<T, Task> oneByOne, Func<HttpStatusCode, Exception?> settle, CancellationToken cancellationToken)
    {
        foreach (var group in items.Chunk(MaxBatch))
        {
            if (group.Length > 1)
            {
                using var response = await BatchAsync(container, partition, batch =>
                {
                    foreach (var item in group)
                    {
                        add(batch, item);
                    }
                }, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    for (var i = 0; i < group.Length; i++)
                    {
                        written(group[i], response[i].ETag);
                    }
                    continue;
                }
                if (settle(response.StatusCode) is { } failure)
                {
                    throw failure;
                }
            }
            foreach (var item in group)
            {
                await oneByOne(item);
            }
        }
    }

    /// <summary>For <see cref="InBatchesAsync"/>: write one by one after these statuses; any other is unexpected.</summary>
    public static Func<HttpStatusCode, Exception?> OneByOneOn(params HttpStatusCode[] statuses) =>
        status => statuses.Contains(status) ? null : new InvalidOperationException($"transactional batch failed with {(int)status}");

    public static Task RunAsync(Func<Task> call) => RunAsync(async () =>
    {
        await call();
        return true;
    });

    /// <summary>
    /// A replace only if the item is still at <paramref name="expectedETag"/>: a newer version is
    /// <see cref="VersionMismatchException"/>, a deleted item <see cref="NotFoundException"/>.
    /// </summary>
    public static async Task<ItemResponse<T>> ReplaceAsync<T>(
        Container container, T item, string id, PartitionKey partitionKey, string expectedETag, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(() => container.ReplaceItemAsync(item, id, partitionKey, new ItemRequestOptions { IfMatchEtag = expectedETag }, cancellationToken));
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new VersionMismatchException();
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFoundException();
        }
    }

    /// <summary>Binds a filter's parameters, collected while its WHERE clause was built.</summary>
    public static QueryDefinition Parameterize(QueryDefinition query, IReadOnlyDictionary<string, object> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            query = query.WithParameter(name, value);
        }
        return query;
    }

    /// <summary>A point read that answers null for a missing item instead of throwing.</summary>
    public static Task<ItemResponse<T>?> ReadAsync<T>(Container container, string id, PartitionKey partitionKey, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            try
            {
                return await container.ReadItemAsync<T>(id, partitionKey, cancellationToken: cancellationToken);
            }
            catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });

    public static async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, QueryRequestOptions? options, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults)
        {
            results.AddRange(await RunAsync(() => iterator.ReadNextAsync(cancellationToken)));
        }
        return results;
    }
}
