using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Tests.Integration;

/// <summary>Issue 12: a page's queries share one connection (<see cref="MartQueries.OneConnection"/>); outside it, each
/// query has its own. A DuckDB temporary table lives on the connection that made it, so it shows which one ran.</summary>
public sealed class OneConnectionTests : IDisposable
{
    private readonly TempDir _dir = new();

    private sealed class Probe(WarehouseEngine engine) : MartQueries(engine)
    {
        public Task<IReadOnlyList<long>> CreateAsync() => ListAsync<long>("etl_batch", "CREATE TEMP TABLE probe AS SELECT 7 AS x");
        public Task<long> ReadAsync() => SingleAsync<long>("etl_batch", "SELECT CAST(x AS BIGINT) FROM probe");
    }

    [Fact]
    public async Task Queries_inside_one_connection_see_the_same_session_and_outside_it_do_not()
    {
        var engine = new DuckDbEngine(_dir.File("w.duckdb"));
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var probe = new Probe(engine);

        await using (probe.OneConnection())
        {
            await probe.CreateAsync();
            Assert.Equal(7, await probe.ReadAsync()); // the temporary table made by the query before: same connection
        }

        // after it, a query opens a connection of its own, where no such table was made
        await Assert.ThrowsAnyAsync<Exception>(() => probe.ReadAsync());
    }

    public void Dispose() => _dir.Dispose();
}
