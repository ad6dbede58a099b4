using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Engines.Postgres;

namespace BudgetPerf.Warehouse.Engines;

/// <summary>Chooses the engine from <c>--db</c>, else <c>BUDGETPERF_DB</c>, else the default DuckDB file.</summary>
public static class EngineFactory
{
    public const string DefaultDuckDbPath = "data/budgetperf.duckdb";

    public static WarehouseEngine Create(string? db)
    {
        var target = string.IsNullOrWhiteSpace(db) ? Environment.GetEnvironmentVariable("BUDGETPERF_DB") : db;
        if (string.IsNullOrWhiteSpace(target)) target = DefaultDuckDbPath;
        return IsPostgres(target) ? new PostgresEngine(target) : new DuckDbEngine(target);
    }

    private static bool IsPostgres(string target) =>
        PostgresUrl.IsUrl(target) ||
        (target.Contains('=') && target.Contains("host", StringComparison.OrdinalIgnoreCase));
}
