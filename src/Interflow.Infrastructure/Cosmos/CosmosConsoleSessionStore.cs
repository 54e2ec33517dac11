using System.Net;
using Interflow.Core.Accounts;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Sessions and sign-in links by the hash of their token, each deleted by Cosmos DB when it expires (per-item TTL).</summary>
public sealed class CosmosConsoleSessionStore(CosmosContainers containers, TimeProvider clock) : IConsoleSessionStore
{
    public Task CreateSessionAsync(ConsoleSession session, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.ConsoleSessions.CreateItemAsync(
            Document.Of(session, Ttl(session.ExpiresAt)), new PartitionKey(session.Id), NoContent, cancellationToken));

    public async Task<ConsoleSession?> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        (await CosmosCalls.ReadAsync<Document>(containers.ConsoleSessions, id, new PartitionKey(id), cancellationToken))?.Resource?.Session;

    public Task SaveSessionAsync(ConsoleSession session, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.ConsoleSessions.UpsertItemAsync(
            Document.Of(session, Ttl(session.ExpiresAt)), new PartitionKey(session.Id), NoContent, cancellationToken));

    public async Task DeleteSessionAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => containers.ConsoleSessions.DeleteItemAsync<Document>(id, new PartitionKey(id), cancellationToken: cancellationToken));
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    public Task CreateSignInLinkAsync(SignInLink link, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.ConsoleSessions.CreateItemAsync(
            Document.Of(link, Ttl(link.ExpiresAt)), new PartitionKey(link.Id), NoContent, cancellationToken));

    /// <summary>A read, then a replace at the read's ETag: of two requests with the same link, one replace fails.</summary>
    public async Task<SignInLink?> ConsumeSignInLinkAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var read = await CosmosCalls.ReadAsync<Document>(containers.ConsoleSessions, id, new PartitionKey(id), cancellationToken);
        if (read?.Resource?.Link is not { UsedAt: null } link || link.ExpiresAt <= now)
        {
            return null;
        }
        try
        {
            await CosmosCalls.RunAsync(() => containers.ConsoleSessions.ReplaceItemAsync(
                Document.Of(link with { UsedAt = now }, Ttl(link.ExpiresAt)), id, new PartitionKey(id),
                new ItemRequestOptions { IfMatchEtag = read.ETag, EnableContentResponseOnWrite = false }, cancellationToken));
            return link;
        }
        catch (CosmosException exception) when (exception.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private int Ttl(DateTimeOffset expiresAt) => Math.Max(1, (int)Math.Ceiling((expiresAt - clock.GetUtcNow()).TotalSeconds));

    /// <param name="Ttl">Seconds until Cosmos DB deletes the item by itself.</param>
    private sealed record Document(string Id, ConsoleSession? Session, SignInLink? Link, int Ttl)
    {
        public static Document Of(ConsoleSession session, int ttl) => new(session.Id, session, null, ttl);

        public static Document Of(SignInLink link, int ttl) => new(link.Id, null, link, ttl);
    }
}
