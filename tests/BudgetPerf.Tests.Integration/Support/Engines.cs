using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Engines.Postgres;

namespace BudgetPerf.Tests.Integration.Support;

/// <summary>A fresh, empty warehouse on the named engine: a DuckDB file in a temp folder, or a new PostgreSQL database.</summary>
public static class Engines
{
    public static async Task<WarehouseEngine> FreshAsync(string engine, TempDir dir, PostgresServer postgres) =>
        engine switch
        {
            "duckdb" => new DuckDbEngine(dir.File("warehouse.duckdb")),
            "postgres" => await PostgresAsync(postgres),
            _ => throw new ArgumentException(engine),
        };

    private static async Task<WarehouseEngine> PostgresAsync(PostgresServer postgres)
    {
        postgres.SkipIfUnavailable();
        return new PostgresEngine(await postgres.CreateDatabaseAsync("bp"));
    }
}
