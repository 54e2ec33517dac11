using System.Net;
using Interflow.TestServer;

namespace Interflow.Api.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public async Task An_empty_store_gets_one_account_with_working_keys_once()
    {
        var store = Path.Combine(Path.GetTempPath(), $"interflow-bootstrap-{Guid.NewGuid():N}.db");
        string live;
        string test;
        await using (var first = await InterflowTestServer.StartAsync(new TestServerSettings { SqlitePath = store, Bootstrap = true }))
        {
            Assert.NotNull(first.Bootstrap);
            (live, test) = (first.Bootstrap.LiveSecret, first.Bootstrap.TestSecret);
        }

        await using var second = await InterflowTestServer.StartAsync(new TestServerSettings { SqlitePath = store, Bootstrap = true });

        Assert.Null(second.Bootstrap);
        Assert.StartsWith("ifk_live_", live);
        Assert.StartsWith("ifk_test_", test);
        foreach (var key in new[] { live, test })
        {
            using var client = second.CreateClient(key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("v1/customers")).Status);
        }
    }
}
