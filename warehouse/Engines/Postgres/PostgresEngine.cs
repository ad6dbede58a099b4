using System.Data.Common;
using DbUp;
using DbUp.Builder;
using Npgsql;
using NpgsqlTypes;

namespace BudgetPerf.Warehouse.Engines.Postgres;

/// <summary>The multi-user server engine: any Npgsql connection string or postgres:// URL.</summary>
public sealed class PostgresEngine(string connectionString) : WarehouseEngine
{
    public string ConnectionString { get; } = PostgresUrl.ToConnectionString(connectionString);

    public override string Name => "postgres";
    public override string DefaultSchema => "public";

    public override string Describe()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgres {b.Host}:{b.Port}/{b.Database}";
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public override Task<BuildLock> AcquireBuildLockAsync(CancellationToken ct = default) => BuildLock.PostgresAsync(OpenAsync, ct);

    public override async Task AnalyzeAsync(DbConnection connection, string table, CancellationToken ct = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"ANALYZE {table}";
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public override UpgradeEngineBuilder MigrationBuilder() =>
        DeployChanges.To.PostgresqlDatabase(ConnectionString).JournalToPostgresqlTable("public", "schema_versions");

    public override string DropRelationSql(string name, bool isView) =>
        isView ? $"DROP VIEW IF EXISTS {name} CASCADE" : $"DROP TABLE IF EXISTS {name} CASCADE";

    public override async Task<long> BulkInsertAsync(DbConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct = default)
    {
        var columnList = string.Join(", ", columns.Select(c => c.Name));
        await using var writer = await ((NpgsqlConnection)connection)
            .BeginBinaryImportAsync($"COPY {table} ({columnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var values in rows)
        {
            await writer.StartRowAsync(ct);
            for (var i = 0; i < values.Length; i++)
            {
                switch (values[i])
                {
                    case null: await writer.WriteNullAsync(ct); break;
                    // TIMESTAMP (without time zone) takes the wall-clock value as DuckDB does
                    case DateTime t: await writer.WriteAsync(DateTime.SpecifyKind(t, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp, ct); break;
                    case var v: await writer.WriteAsync(v, DbTypeOf(columns[i].Type), ct); break;
                }
            }
        }
        return (long)await writer.CompleteAsync(ct);
    }

    private static NpgsqlDbType DbTypeOf(ColumnType type) => type switch
    {
        ColumnType.Integer => NpgsqlDbType.Integer,
        ColumnType.BigInt => NpgsqlDbType.Bigint,
        ColumnType.Decimal => NpgsqlDbType.Numeric,
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.Timestamp => NpgsqlDbType.Timestamp,
        ColumnType.Date => NpgsqlDbType.Date,
        _ => NpgsqlDbType.Varchar,
    };
}
