using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, the runner's fixed cost per model: the build reads the schema's relations and columns once
/// (<see cref="RunnerCatalog"/>) and keeps that read current as it creates and drops relations; and a load's statistics
/// are taken again only when a tenth of a large table changed (<see cref="Warehouse.Engines.WarehouseEngine.AnalyzeWhenDueAsync"/>).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RunnerCatalogTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_catalogue_read_once_gives_types_and_ordered_columns_and_rereads_a_relation_the_runner_made_again(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE cat_t (b INTEGER, a VARCHAR(10), c DECIMAL(18,4))");
        await connection.ExecuteAsync("CREATE VIEW cat_v AS SELECT a FROM cat_t");
        var catalog = new RunnerCatalog(engine);

        await catalog.LoadAsync(connection);

        Assert.Equal("BASE TABLE", catalog.RelationType("cat_t"));
        Assert.Equal("VIEW", catalog.RelationType("cat_v"));
        Assert.Null(catalog.RelationType("cat_missing"));
        // the columns in their table order (b, a, c), not by name
        Assert.Equal(["b", "a", "c"], (await catalog.ColumnsAsync(connection, "cat_t")).Select(c => c.Name));

        // a column added behind the catalogue's back is not seen (the read is the build's) ...
        await connection.ExecuteAsync("ALTER TABLE cat_t ADD COLUMN d INTEGER");
        Assert.Equal(3, (await catalog.ColumnsAsync(connection, "cat_t")).Count);
        // ... until the runner says it made the relation again: then its columns are read anew
        catalog.Created("cat_t", view: false);
        Assert.Equal(["b", "a", "c", "d"], (await catalog.ColumnsAsync(connection, "cat_t")).Select(c => c.Name));

        catalog.Dropped("cat_v");
        Assert.Null(catalog.RelationType("cat_v"));
        catalog.Created("cat_new", view: true);
        Assert.Equal("VIEW", catalog.RelationType("cat_new"));
    }

    [SkippableFact]
    public async Task A_pass_analyses_a_large_table_only_after_a_tenth_of_its_rows_changed_and_a_small_one_always()
    {
        var engine = await Engines.FreshAsync("postgres", _dir, postgres);
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE facts AS SELECT g AS id FROM generate_series(1, 20000) AS g");
        // the backend's counts of the CREATE flushed before the ANALYZE that resets them (else they would count after it)
        await WaitForModifiedAsync(connection, "facts", 20000);
        await connection.ExecuteAsync("ANALYZE facts");
        Assert.Equal(20000d, await ReltuplesAsync(connection, "facts"));

        // 1,000 rows of 20,000 (5 %): fewer than a tenth, the statistics stay
        await connection.ExecuteAsync("INSERT INTO facts SELECT g FROM generate_series(20001, 21000) AS g");
        await WaitForModifiedAsync(connection, "facts", 1000);
        await engine.AnalyzeWhenDueAsync(connection, "facts");
        Assert.Equal(20000d, await ReltuplesAsync(connection, "facts"));

        // 1,000 more: 2,000 written since the last ANALYZE = 20,000 / 10, so it is due and counts 22,000 rows
        await connection.ExecuteAsync("INSERT INTO facts SELECT g FROM generate_series(21001, 22000) AS g");
        await WaitForModifiedAsync(connection, "facts", 2000);
        await engine.AnalyzeWhenDueAsync(connection, "facts");
        Assert.Equal(22000d, await ReltuplesAsync(connection, "facts"));

        // a table under AnalyzeKeepRows (10,000) is analysed after any change: 500 + 1 rows
        await connection.ExecuteAsync("CREATE TABLE small AS SELECT g AS id FROM generate_series(1, 500) AS g");
        await WaitForModifiedAsync(connection, "small", 500);
        await connection.ExecuteAsync("ANALYZE small");
        await connection.ExecuteAsync("INSERT INTO small VALUES (501)");
        await engine.AnalyzeWhenDueAsync(connection, "small");
        Assert.Equal(501d, await ReltuplesAsync(connection, "small"));
    }

    /// <summary>The server's counts reach the shared statistics when the writing backend flushes them (PostgreSQL 15).</summary>
    private static async Task WaitForModifiedAsync(System.Data.Common.DbConnection connection, string table, long atLeast)
    {
        for (var i = 0; i < 100; i++)
        {
            await connection.ExecuteAsync("SELECT pg_stat_force_next_flush()");
            await connection.ExecuteAsync("SELECT pg_stat_clear_snapshot()");
            if (await connection.ExecuteScalarAsync<long>($"SELECT pg_stat_get_mod_since_analyze('{table}'::regclass)") >= atLeast) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{table}: the server did not count {atLeast} modified rows");
    }

    private static Task<double> ReltuplesAsync(System.Data.Common.DbConnection connection, string table) =>
        connection.ExecuteScalarAsync<double>($"SELECT reltuples FROM pg_class WHERE relname = '{table}'");

    public void Dispose() => _dir.Dispose();
}
