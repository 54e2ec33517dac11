using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Interflow.Api.Tests.OpenApi.AfterEveryOtherTestLast", "Interflow.Api.Tests")]

namespace Interflow.Api.Tests.OpenApi;

/// <summary>
/// Runs <see cref="AfterEveryOtherTest"/> last: xunit runs the collections that disable parallelization one after
/// another after the parallel ones, in an order of its own, and the contract check must see every other one's responses.
/// </summary>
public sealed class AfterEveryOtherTestLast : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName.EndsWith(AfterEveryOtherTest.Name, StringComparison.Ordinal) ? 1 : 0);
}
