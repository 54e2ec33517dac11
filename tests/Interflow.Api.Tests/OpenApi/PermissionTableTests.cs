using System.Text.RegularExpressions;
using Interflow.Api.Http;
using Interflow.TestServer;

namespace Interflow.Api.Tests.OpenApi;

/// <summary>docs/api.md's table of permissions is the route table's: every /v1 operation, with what a restricted key needs for it.</summary>
public sealed partial class PermissionTableTests
{
    [Fact]
    public void The_permission_table_in_api_md_is_the_route_tables()
    {
        var documented = Row().Matches(Repository.Read("docs/api.md")).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToArray();
        var routes = ApiRouteTable.All.Where(r => r.Access == RouteAccess.ApiKey).Select(r => ($"{r.Method} /{r.Template}", r.Permission!.Value.ToString())).ToArray();

        Assert.Equal(routes.Order(), documented.Order());
    }

    [GeneratedRegex(@"^\| `((?:GET|POST|PUT|DELETE) /v1/[^`]*)` \| `([a-z]+:(?:read|write))` \|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
