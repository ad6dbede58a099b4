using System.Data.Common;
using System.Text;
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

    /// <summary>
    /// DuckDB's memory limit while the Appender runs. Without it DuckDB keeps every row group of the uncommitted
    /// transaction cached (a 1M-row file held ~250 MB until commit, and the commit then paid for writing it); with it the
    /// row groups already written to the file are evicted as the load goes, and the commit is nearly free.
    /// </summary>
    public const string BulkLoadMemoryLimit = "256MB";

    public override async Task<long> BulkInsertAsync(DbConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct = default)
    {
        var previous = await SettingAsync(connection, "memory_limit", BulkLoadMemoryLimit, ct);
        try
        {
            return Append((DuckDBConnection)connection, table, rows, ct);
        }
        finally
        {
            await SettingAsync(connection, "memory_limit", previous, CancellationToken.None);
        }
    }

    /// <summary>Sets a DuckDB setting, returning its previous value. (Settings are per database, and not transactional.)</summary>
    private static async Task<string> SettingAsync(DbConnection connection, string name, string value, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT current_setting('{name}')";
        var previous = Convert.ToString(await command.ExecuteScalarAsync(ct))!;
        if (previous == value) return previous;
        command.CommandText = $"SET {name} = '{value.Replace("'", "''")}'";
        await command.ExecuteNonQueryAsync(ct);
        return previous;
    }

    /// <summary>
    /// The Appender's cheap path: strings as UTF-8 bytes from one reused buffer (no unmanaged copy per string), typed
    /// overloads for the rest.
    /// </summary>
    private static long Append(DuckDBConnection connection, string table, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        long count = 0;
        var utf8 = new byte[1024];   // strings go in as UTF-8 bytes: no unmanaged copy of each string
        using (var appender = connection.CreateAppender(table))
        {
            foreach (var values in rows)
            {
                if ((count & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
                var row = appender.CreateRow();
                for (var i = 0; i < values.Length; i++)
                {
                    switch (values[i])
                    {
                        case null: row.AppendNullValue(); break;
                        case string { Length: 0 } empty: row.AppendValue(empty); break;
                        case string s:
                            var max = Encoding.UTF8.GetMaxByteCount(s.Length);
                            if (max > utf8.Length) utf8 = new byte[Math.Max(max, utf8.Length * 2)];
                            row.AppendValue(utf8.AsSpan(0, Encoding.UTF8.GetBytes(s, utf8)));
                            break;
                        case int n: row.AppendValue(n); break;
                        case long l: row.AppendValue(l); break;
                        case decimal d: row.AppendValue(d); break;
                        case bool b: row.AppendValue(b); break;
                        case DateTime t: row.AppendValue(t); break;
                        case DateOnly d: row.AppendValue(d); break;
                        case var other: throw new ArgumentException($"No DuckDB appender mapping for {other.GetType().Name}");
                    }
                }
                row.EndRow();
                count++;
            }
        }
        return count;
    }
}
