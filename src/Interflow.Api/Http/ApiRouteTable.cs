using Interflow.Api.Admin;
using Interflow.Api.Customers;

namespace Interflow.Api.Http;

/// <summary>Every route of the product. The Functions app declares one function per entry; the test server maps these.</summary>
public static class ApiRouteTable
{
    public static IReadOnlyList<ApiRoute> All { get; } = [.. CustomersApi.Routes, .. AdminApi.Routes];
}
