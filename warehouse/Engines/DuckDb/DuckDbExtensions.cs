using DbUp.Builder;
using DbUp.Engine.Transactions;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>Wires the four DuckDB pieces into DbUp, the way dbup-sqlite does for SQLite.</summary>
public static class DuckDbExtensions
{
    public static UpgradeEngineBuilder DuckDbDatabase(this SupportedDatabases _, string connectionString)
    {
        var builder = new UpgradeEngineBuilder();
        builder.Configure(c => c.ConnectionManager = new DuckDbConnectionManager(connectionString));
        builder.Configure(c => c.Journal = new DuckDbTableJournal(() => c.ConnectionManager, () => c.Log, "schema_versions"));
        builder.Configure(c => c.ScriptExecutor = new DuckDbScriptExecutor(
            () => c.ConnectionManager, () => c.Log, () => c.VariablesEnabled, c.ScriptPreprocessors, () => c.Journal));
        return builder;
    }
}
