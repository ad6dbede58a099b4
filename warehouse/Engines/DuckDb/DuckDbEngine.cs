using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using DbUp;
using DbUp.Builder;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>The embedded default: one DuckDB file, created on first use, owned by one process.</summary>
public sealed partial class DuckDbEngine(string path) : WarehouseEngine
{
    public string FilePath { get; } = Path.GetFullPath(path);

    public override string Name => "duckdb";
    public override string DefaultSchema => "main";
    public override string Describe() => FilePath;

    /// <summary>
    /// DuckDB's threads outside bulk loads, when set (<see cref="UseThreadsAsync"/>); null: DuckDB's default, one per core.
    /// The dashboard sets one core fewer than the machine has (issue 15): its builds then leave a core to its readers.
    /// </summary>
    public int? Threads { get; private set; }

    /// <summary>Sets DuckDB's threads for this database from now on (a bulk load lowers them and restores this value).</summary>
    public async Task UseThreadsAsync(DbConnection connection, int threads, CancellationToken ct = default)
    {
        await BulkLoadGate.WaitAsync(ct);
        try
        {
            Threads = Math.Max(1, threads);
            if (!BulkLoads.ContainsKey(path)) await SettingAsync(connection, "threads", Threads.Value.ToString(CultureInfo.InvariantCulture), ct);
        }
        finally
        {
            BulkLoadGate.Release();
        }
    }

    /// <summary>The file, and the storage format DuckDB creates it in when it does not exist yet (DuckDbStorage.cs).</summary>
    private string ConnectionString => $"Data Source={FilePath};storage_compatibility_version={StorageVersion}";

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

    public override Task<BuildLock> AcquireBuildLockAsync(CancellationToken ct = default) => BuildLock.InProcessAsync(FilePath, ct);

    public override UpgradeEngineBuilder MigrationBuilder() => DeployChanges.To.DuckDbDatabase(ConnectionString);

    public override Task<bool> StagesFullBuildAsync(DbConnection connection) => Task.FromResult(true);

    public override string DropRelationSql(string name, bool isView) =>
        isView ? $"DROP VIEW IF EXISTS {name}" : $"DROP TABLE IF EXISTS {name}";

    /// <summary>The WAL size a build's commit may leave unmerged until the build's own CHECKPOINT after it.</summary>
    public const string DeferredCheckpointThreshold = "1GB";

    public override async Task<string?> DeferCheckpointAsync(DbConnection connection) =>
        await SettingAsync(connection, "checkpoint_threshold", DeferredCheckpointThreshold, CancellationToken.None);

    public override async Task CheckpointAsync(DbConnection connection, string? deferred)
    {
        if (deferred is null) return;
        await SettingAsync(connection, "checkpoint_threshold", deferred, CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "CHECKPOINT";
        command.CommandTimeout = 0;
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (DuckDBException)
        {
            // a reader's transaction is open: the next commit past the threshold checkpoints instead
        }
    }

    /// <summary>
    /// DuckDB's threads while the Appender runs: one core is left to the thread that reads and validates the file. An
    /// append runs on the calling thread anyway; with more threads than cores the caller spun waiting for DuckDB's
    /// workers (on 2 cores, ~0.6 CPU-s of a 1M-row load went to that spinning, taken from the reader).
    /// </summary>
    private static int BulkLoadThreads => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Rows already in memory up to this count (seeds, the runner's state, run_results) are appended under the current
    /// settings: lowering memory_limit inside a build evicts the build's uncommitted tables to temporary files (at
    /// province scale the 188-row indicator_framework seed took 3 s, and the temporary storage grew from 46 MB to 202 MB).
    /// </summary>
    public const int SmallBatchRows = 100_000;

    public override async Task<long> BulkInsertAsync(DbConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct = default)
    {
        if (rows is IReadOnlyCollection<object?[]> { Count: <= SmallBatchRows })
            return Append((DuckDBConnection)connection, table, columns, rows, ct);
        await EnterBulkLoadAsync(connection, ct);
        try
        {
            return Append((DuckDBConnection)connection, table, columns, rows, ct);
        }
        finally
        {
            await LeaveBulkLoadAsync(connection);
        }
    }

    /// <summary>
    /// The bulk-load setting (threads) of each database file, shared by its loads: settings are per database, not per
    /// connection, so two loads at once each saving and restoring the value could leave it lowered for good. The first
    /// load in sets it, the last one out resets it to DuckDB's default, or to <see cref="Threads"/> when the dashboard set it. memory_limit is
    /// no longer lowered for a load (it kept a 1M-row load's working set near 250 MB): in the dashboard a build runs while
    /// the next upload is loaded, and province builds under the load's 256 MB failed with "Out of Memory" (bench
    /// submissions, province: 29 of 30 passes); restoring the limit read before also took 0.1 GiB off each time (DuckDB
    /// prints "18.8 GiB", and setting that back gives 18.7).
    /// </summary>
    private static readonly Dictionary<string, int> BulkLoads = new(StringComparer.Ordinal);

    /// <summary>
    /// Row groups (122,880 rows each) a streamed load's transaction holds in memory before DuckDB compresses and writes them
    /// (<c>write_buffer_row_group_count</c>, DuckDB's default 5): one, so that a 1M-row load holds about 55 MB of
    /// uncompressed rows instead of about 205 MB (<c>duckdb_memory()</c>'s IN_MEMORY_TABLE, measured; issue 15, <c>bench etl</c>'s
    /// peak working set 500 → 370 MB) for about the same CPU time. Set and reset with the threads, per database.
    /// </summary>
    private const string BulkLoadRowGroupsBuffered = "1";

    private static readonly SemaphoreSlim BulkLoadGate = new(1, 1);

    private async Task EnterBulkLoadAsync(DbConnection connection, CancellationToken ct)
    {
        await BulkLoadGate.WaitAsync(ct);
        try
        {
            var loads = BulkLoads.GetValueOrDefault(path);
            BulkLoads[path] = loads + 1;
            if (loads > 0) return;
            await SettingAsync(connection, "threads", BulkLoadThreads.ToString(CultureInfo.InvariantCulture), ct);
            await SettingAsync(connection, "write_buffer_row_group_count", BulkLoadRowGroupsBuffered, ct);
        }
        finally
        {
            BulkLoadGate.Release();
        }
    }

    private async Task LeaveBulkLoadAsync(DbConnection connection)
    {
        await BulkLoadGate.WaitAsync(CancellationToken.None);
        try
        {
            var loads = BulkLoads[path] - 1;
            if (loads > 0)
            {
                BulkLoads[path] = loads;
                return;
            }
            BulkLoads.Remove(path);
            await using var command = connection.CreateCommand();
            command.CommandText = Threads is { } threads ? $"SET threads = {threads}" : "RESET threads";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            command.CommandText = "RESET write_buffer_row_group_count";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        finally
        {
            BulkLoadGate.Release();
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
    /// The landing tables through <see cref="DuckDbChunkAppender"/> (data chunks filled on a thread of their own);
    /// tables with other column types (etl_batch's timestamp, seeds with dates) through DuckDB.NET's row appender.
    /// </summary>
    private static long Append(DuckDBConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct)
    {
        using (var chunks = DuckDbChunkAppender.TryCreate(connection.NativeConnection, table))
        {
            if (chunks is not null) return chunks.AppendAll(rows, ct);
        }
        return AppendRows(connection, table, columns, rows, ct);
    }

    /// <summary>One value at a time, through the row appender's typed overload for the column's SQL type.</summary>
    private static long AppendRows(DuckDBConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var types = columns.Select(c => c.Type).ToArray();
        var inv = CultureInfo.InvariantCulture;
        long count = 0;
        using (var appender = connection.CreateAppender(table))
        {
            foreach (var values in rows)
            {
                if ((count & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
                if (values.Length != types.Length)
                    throw new ArgumentException($"{table}: {values.Length} values for {types.Length} columns");
                var row = appender.CreateRow();
                foreach (var (value, type) in values.Zip(types))
                {
                    if (value is null) row.AppendNullValue();
                    else switch (type)
                    {
                        case ColumnType.Integer: row.AppendValue(Convert.ToInt32(value, inv)); break;
                        case ColumnType.BigInt: row.AppendValue(Convert.ToInt64(value, inv)); break;
                        case ColumnType.Decimal: row.AppendValue(Convert.ToDecimal(value, inv)); break;
                        case ColumnType.Boolean: row.AppendValue((bool)value); break;
                        case ColumnType.Timestamp: row.AppendValue((DateTime)value); break;
                        case ColumnType.Date: row.AppendValue(value is DateOnly d ? (DuckDBDateOnly)d : (DuckDBDateOnly)(DateTime)value); break;
                        default: row.AppendValue(value as string ?? Convert.ToString(value, inv)); break;
                    }
                }
                row.EndRow();
                count++;
            }
        }
        return count;
    }
}
