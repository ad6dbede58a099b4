using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer(
    "BudgetPerf.Tests.Integration.Fixtures.PostgresCollectionsFirst", "BudgetPerf.Tests.Integration")]

namespace BudgetPerf.Tests.Integration.Fixtures;

/// <summary>
/// Starts the two PostgreSQL collections first: each runs its tests one at a time for most of the run (about ten and
/// eight minutes on two cores), and xunit starts collections in this order as its threads (one a core) free up. In the
/// default order the first server's collection waited 2.5 minutes behind short classes and ended the run alone.
/// </summary>
public sealed class PostgresCollectionsFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName switch
        {
            PostgresCollection.Name => 0,
            UntimedPostgresCollection.Name => 1,
            _ => 2,
        }).ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
