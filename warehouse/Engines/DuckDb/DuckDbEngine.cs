using System.Data.Common;
using System.Text.RegularExpressions;
using DbUp;
using DbUp.Builder;
using DuckDB.NET.Data;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>The embedded default: one DuckDB file, created on first use, owned by one process.</summary>
public sealed partial class DuckDbEngine(string path) : WarehouseEngine
{
    public string FilePath { get; } = Path.GetFullPath(path);

    public override string Name => "duckdb";
    public override string DefaultSchema => "main";
    public override string Describe() => FilePath;

    private string ConnectionString => $"Data Source={FilePath}";

    public override async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var connection = new DuckDBConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (DuckDBException ex) when (ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            await connection.DisposeAsync();
            throw new WarehouseLockedException(
                $"{FilePath} is open in another process (is the dashboard running?)", ex);
        }
    }

    /// <summary><c>@name</c> → <c>$name</c> (an <c>@</c> after a word character or another <c>@</c> is left alone).</summary>
    public override string Sql(string sql) => NpgsqlParameter().Replace(sql, "$$${name}");

    [GeneratedRegex(@"(?<![\w@$])@(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex NpgsqlParameter();

    public override UpgradeEngineBuilder MigrationBuilder() => DeployChanges.To.DuckDbDatabase(ConnectionString);

    public override string DropRelationSql(string name, bool isView) =>
        isView ? $"DROP VIEW IF EXISTS {name}" : $"DROP TABLE IF EXISTS {name}";

    public override Task<long> BulkInsertAsync(DbConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct = default)
    {
        long count = 0;
        using (var appender = ((DuckDBConnection)connection).CreateAppender(table))
        {
            foreach (var values in rows)
            {
                ct.ThrowIfCancellationRequested();
                var row = appender.CreateRow();
                for (var i = 0; i < values.Length; i++)
                    Append(row, values[i]);
                row.EndRow();
                count++;
            }
        }
        return Task.FromResult(count);
    }

    private static void Append(IDuckDBAppenderRow row, object? value)
    {
        switch (value)
        {
            case null: row.AppendNullValue(); break;
            case string s: row.AppendValue(s); break;
            case int i: row.AppendValue(i); break;
            case long l: row.AppendValue(l); break;
            case decimal d: row.AppendValue(d); break;
            case bool b: row.AppendValue(b); break;
            case DateTime t: row.AppendValue(t); break;
            case DateOnly d: row.AppendValue(d); break;
            default: throw new ArgumentException($"No DuckDB appender mapping for {value.GetType().Name}");
        }
    }
}
