using System.Text.RegularExpressions;
using Interflow.Api.Http;
using Xunit.Abstractions;

namespace Interflow.Functions.Tests;

/// <summary>
/// Every request reaches the function meant for it under the host's routing rule (first match in name order), and
/// no request matches two functions, so that no function's name can ever decide what serves a request.
/// </summary>
public sealed partial class HostRoutingTests(ITestOutputHelper output)
{
    private static readonly HostRouting Host = HostRouting.OfAppBuild();

    /// <summary>Requests no route takes: unknown paths, known paths with other methods, and odd spellings of both.</summary>
    public static TheoryData<string, string> UnmatchedRequests => new()
    {
        { "GET", "/" },
        { "GET", "/favicon.ico" },
        { "GET", "/v1" },
        { "GET", "/v1/unknown" },
        { "GET", "/v1/customers/cust_1/extra" },
        { "GET", "/v1/messages/send/more" },
        { "GET", "/v1/openapi.yaml" },
        { "GET", "/v1/openapiXjson" },
        { "GET", "/manage/accounts" },
        { "POST", "/" },
        { "POST", "/v1/customers/cust_1" },
        { "POST", "/v1/messages" },
        { "POST", "/docs" },
        { "POST", "/manage/accounts/acc_1" },
        { "PUT", "/v1/customers" },
        { "PUT", "/v1/messages/msg_1" },
        { "PUT", "/v1/customers/cust_1/x" },
        { "PUT", "/hooks/whatsapp/ch_1" },
        { "DELETE", "/v1/chats/chat_1" },
        { "DELETE", "/v1/customers" },
        { "DELETE", "/manage/accounts/acc_1" },
        { "PATCH", "/v1/customers/cust_1" },
        { "PATCH", "/nothing" },
        { "HEAD", "/v1/customers" },
        { "OPTIONS", "/v1/customers" },
    };

    [Fact]
    public void Every_route_of_the_table_reaches_its_own_function_and_no_other_would_take_it()
    {
        var reached = new HashSet<string>();
        var requests = 0;
        foreach (var route in ApiRouteTable.All)
        {
            foreach (var path in SamplePaths(route.Template))
            {
                requests++;
                var matches = Host.Matches(route.Method, path);
                var first = matches is [var winner, ..] ? winner : null;
                Assert.True(first == route.Name, $"{route.Method} {path} reaches {first ?? "no function"}, not {route.Name}");
                Assert.True(matches.Count == 1, $"{route.Method} {path} matches {string.Join(", ", matches)}: its function wins only by its name");
                reached.Add(matches[0]);
            }
        }
        output.WriteLine($"{ApiRouteTable.All.Count} routes, {requests} requests, {reached.Count} functions reached, each by its own requests only");
        Assert.Equal(ApiRouteTable.All.Count, reached.Count);
    }

    [Theory]
    [MemberData(nameof(UnmatchedRequests))]
    public void A_request_no_route_takes_reaches_exactly_one_catch_all(string method, string path)
    {
        var matches = Host.Matches(method, path);

        Assert.True(matches.Count == 1, $"{method} {path} matches {(matches.Count == 0 ? "no function (the host's empty 404)" : string.Join(", ", matches))}");
        var unmatched = Assert.Single(UnmatchedRoutes.All, u => u.Name == matches[0]);
        Assert.Contains(method, unmatched.Methods);
    }

    [Fact]
    public void The_catch_all_templates_are_what_the_route_table_implies()
    {
        foreach (var unmatched in UnmatchedRoutes.All)
        {
            var expected = CatchAllTemplate(unmatched.Methods);
            Assert.True(expected == unmatched.Template, $"UnmatchedRoutes for {string.Join("/", unmatched.Methods)} must be:\n@\"{expected}\"");
        }
    }

    [Fact]
    public void The_catch_alls_take_each_method_the_table_uses_exactly_once()
    {
        var methods = UnmatchedRoutes.All.SelectMany(u => u.Methods).ToList();

        Assert.Equal(methods.Distinct().Count(), methods.Count);
        Assert.All(ApiRouteTable.All, route => Assert.Contains(route.Method, methods));
    }

    /// <summary>A route's template with values in its parameters, also with a trailing slash and in capitals.</summary>
    private static IEnumerable<string> SamplePaths(string template)
    {
        var path = "/" + Parameter().Replace(template, m => $"{m.Groups[1].Value}_1a2b");
        return [path, path + "/", path.ToUpperInvariant()];
    }

    /// <summary>A catch-all for these methods: every path except those the table serves for one of them.</summary>
    private static string CatchAllTemplate(IReadOnlyList<string> methods)
    {
        var served = ApiRouteTable.All.Where(r => methods.Contains(r.Method))
            .Select(r => string.Join('/', r.Template.Split('/').Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))))
            .Distinct()
            .ToList();
        return served.Count == 0 ? "{*path}" : $"{{*path:regex(^(?!(?:{string.Join('|', served)})/?$))=}}";
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Parameter();
}
