using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Support;
using DuckDB.NET.Data;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>Runs migration scripts against DuckDB; a failed script names itself in the exception.</summary>
public sealed class DuckDbScriptExecutor(
    Func<IConnectionManager> connectionManager,
    Func<IUpgradeLog> log,
    Func<bool> variablesEnabled,
    IEnumerable<IScriptPreprocessor> preprocessors,
    Func<IJournal> journal)
    : ScriptExecutor(connectionManager, new DuckDbObjectParser(), log, null, variablesEnabled, preprocessors, journal)
{
    protected override string GetVerifySchemaSql(string schema) =>
        $"CREATE SCHEMA IF NOT EXISTS {QuoteSqlObjectName(schema)}";

    protected override void ExecuteCommandsWithinExceptionHandler(int index, SqlScript script, Action executeCommand)
    {
        try
        {
            executeCommand();
        }
        catch (DuckDBException ex)
        {
            Log().LogError("DuckDB error in script {0} (command {1}): {2}", script.Name, index, ex.Message);
            throw;
        }
    }
}
