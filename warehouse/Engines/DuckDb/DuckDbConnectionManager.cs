using DbUp.Engine.Transactions;
using DuckDB.NET.Data;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>DbUp connection manager for a DuckDB file. DuckDB.NET runs a multi-statement script in one command.</summary>
public sealed class DuckDbConnectionManager(string connectionString)
    : DatabaseConnectionManager(_ => new DuckDBConnection(connectionString))
{
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) => [scriptContents];
}
