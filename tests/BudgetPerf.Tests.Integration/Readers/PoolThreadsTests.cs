using BudgetPerf.Dashboard;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.DuckDb;

namespace BudgetPerf.Tests.Integration.Readers;

/// <summary>
/// The dashboard's thread pool (issue 15): DuckDB's queries hold a pool thread each, so the threads a burst needs are made
/// at once (<c>BudgetPerf:PoolThreads</c>) instead of one about twice a second.
/// </summary>
public sealed class PoolThreadsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_dashboard_has_the_pool_make_the_configured_threads_at_once()
    {
        const int Threads = 48;   // above the default (32), which other tests' dashboards set
        DashboardApp.CreateBuilder(new DuckDbEngine(_dir.File("w.duckdb")), "http://127.0.0.1:0",
            new Dictionary<string, string?> { ["BudgetPerf:PoolThreads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= Threads, $"the pool makes {workers} threads at once, {Threads} configured");
    }
}
