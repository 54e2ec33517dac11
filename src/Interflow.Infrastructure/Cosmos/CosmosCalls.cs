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
