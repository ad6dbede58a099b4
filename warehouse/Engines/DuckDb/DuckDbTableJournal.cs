using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Support;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>
/// DbUp journal for DuckDB. DuckDB parameters are <c>$name</c>: DbUp's default <c>@scriptName</c>
/// would be read as DuckDB's abs() operator, so this journal writes its own SQL.
/// </summary>
public sealed class DuckDbTableJournal(Func<IConnectionManager> connectionManager, Func<IUpgradeLog> logger, string table)
    : TableJournal(connectionManager, logger, new DuckDbObjectParser(), null, table)
{
    protected override string GetInsertJournalEntrySql(string scriptName, string applied) =>
        $"INSERT INTO {FqSchemaTableName} (script_name, applied) VALUES ($scriptName, $applied)";

    protected override string GetJournalEntriesSql() =>
        $"SELECT script_name FROM {FqSchemaTableName} ORDER BY script_name";

    protected override string CreateSchemaTableSql(string quotedPrimaryKeyName) =>
        $"CREATE TABLE {FqSchemaTableName} (script_name VARCHAR PRIMARY KEY, applied TIMESTAMP NOT NULL)";

    protected override string DoesTableExistSql() =>
        $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '{UnquoteSqlObjectName(FqSchemaTableName)}'";
}

/// <summary>DuckDB quotes identifiers with double quotes, like PostgreSQL.</summary>
public sealed class DuckDbObjectParser() : SqlObjectParser("\"", "\"");
