using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.DuckDb;
using Dapper;
using DuckDB.NET.Data;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15 (the full build at province scale): DuckDB 1.5.6 creates files in its v0.10.2 storage format unless told
/// otherwise; the v1.5.0 format writes the big indicator tables about a third cheaper. A new warehouse file is created
/// in it, an existing older one keeps working in its own format, and <c>init --upgrade-storage</c> copies it over with
/// everything in it (rows, views, indexes, sequences at their current values).
/// </summary>
public sealed class DuckDbStorageTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task A_new_warehouse_file_is_created_in_the_v1_5_storage_format()
    {
        var engine = new DuckDbEngine(_dir.File("new.duckdb"));
        await using (var connection = await engine.OpenAsync())
            await connection.ExecuteAsync("CREATE TABLE t AS SELECT 'x' || i AS s FROM range(10) r(i)");

        Assert.Equal(DuckDbEngine.StorageVersionNumber, DuckDbEngine.FileStorageVersion(engine.FilePath));
        Assert.False(engine.NeedsStorageUpgrade);
        Assert.False(await engine.UpgradeStorageAsync());
    }

    [Fact]
    public async Task An_old_format_file_stays_in_its_format_until_upgraded_and_then_keeps_rows_views_indexes_and_sequences()
    {
        var path = _dir.File("old.duckdb");
        // a warehouse as DuckDB 1.5.6 created it before: its default format (v0.10.2, version number 64 in the header)
        await using (var old = new DuckDBConnection($"Data Source={path};storage_compatibility_version=v0.10.2"))
        {
            await old.OpenAsync();
            await old.ExecuteAsync("""
                CREATE SEQUENCE batch_seq START 1;
                CREATE TABLE batch (id BIGINT DEFAULT nextval('batch_seq') PRIMARY KEY, name VARCHAR);
                INSERT INTO batch (name) VALUES ('甲'), ('乙'), ('丙');
                CREATE INDEX batch_name ON batch (name);
                CREATE VIEW batch_names AS SELECT id, name FROM batch;
                """);
        }
        Assert.Equal(64UL, DuckDbEngine.FileStorageVersion(path));
        var engine = new DuckDbEngine(path);

        // opened by the engine (which names v1.5.0 for files it creates), an existing file is written in its own format
        await using (var connection = await engine.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO batch (name) VALUES ('丁'); CHECKPOINT");
        Assert.Equal(64UL, DuckDbEngine.FileStorageVersion(path));
        Assert.True(engine.NeedsStorageUpgrade);

        Assert.True(await engine.UpgradeStorageAsync());

        Assert.Equal(DuckDbEngine.StorageVersionNumber, DuckDbEngine.FileStorageVersion(path));
        Assert.False(File.Exists(path + ".upgrading"));
        await using var upgraded = await engine.OpenAsync();
        Assert.Equal(["甲", "乙", "丙", "丁"], await upgraded.QueryAsync<string>("SELECT name FROM batch_names ORDER BY id"));
        Assert.Equal(1L, await upgraded.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM duckdb_indexes() WHERE index_name = 'batch_name'"));
        // four ids were drawn (1–4): the next is 5, not a second 1 that the primary key would refuse
        Assert.Equal(5L, await upgraded.ExecuteScalarAsync<long>("INSERT INTO batch (name) VALUES ('戊') RETURNING id"));
    }

    [Fact]
    public async Task Init_only_mentions_an_old_format_and_converts_it_with_upgrade_storage_keeping_the_journal()
    {
        var path = _dir.File("cli.duckdb");
        await using (var old = new DuckDBConnection($"Data Source={path};storage_compatibility_version=v0.10.2"))
        {
            await old.OpenAsync();
            await old.ExecuteAsync("CREATE TABLE kept (n INTEGER); INSERT INTO kept VALUES (7)");
        }

        var plain = await CliProcess.RunAsync(_dir.Path, null, "init", "--db", path);
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("init --upgrade-storage", plain.Output);
        Assert.Equal(64UL, DuckDbEngine.FileStorageVersion(path));

        var upgraded = await CliProcess.RunAsync(_dir.Path, null, "init", "--upgrade-storage", "--db", path);
        Assert.Equal(0, upgraded.ExitCode);
        Assert.Contains("已转换为 v1.5.0", upgraded.Output);
        Assert.Contains("迁移：已是最新", upgraded.Output);   // the journal came along: no script ran twice
        Assert.Equal(DuckDbEngine.StorageVersionNumber, DuckDbEngine.FileStorageVersion(path));
        await using var connection = await new DuckDbEngine(path).OpenAsync();
        Assert.Equal(7, await connection.ExecuteScalarAsync<int>("SELECT n FROM kept"));
    }

    public void Dispose() => _dir.Dispose();
}
