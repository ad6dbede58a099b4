using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// A model's PostgreSQL variant holds the rows of its shared SQL (issue 15): dim_indicator.postgres.sql reads the
/// monitored projects' indicator names by a skip scan of fct_indicator_judgement's index, dim_indicator.sql groups the
/// rows; both run here on the same PostgreSQL warehouse, after the incremental builds above, and must agree row for row.
/// </summary>
public sealed partial class IncrementalBuildTests
{
    private static async Task AssertVariantsHoldTheSharedRowsAsync(WarehouseEngine postgres)
    {
        var shared = ModelProject.Load(SqlAssets.Root, "duckdb").Graph["dim_indicator"];
        var variant = ModelProject.Load(SqlAssets.Root, "postgres").Graph["dim_indicator"];
        Assert.NotEqual(shared.Sql, variant.Sql); // the variant is the one PostgreSQL builds
        await using var connection = await postgres.OpenAsync();
        var sharedSql = shared.Render();
        var rows = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM ({sharedSql}) AS shared"));
        var missing = Convert.ToInt64(await connection.ExecuteScalarAsync(
            $"SELECT COUNT(*) FROM (SELECT * FROM ({sharedSql}) AS shared EXCEPT ALL SELECT * FROM dim_indicator) AS missing"));
        var extra = Convert.ToInt64(await connection.ExecuteScalarAsync(
            $"SELECT COUNT(*) FROM (SELECT * FROM dim_indicator EXCEPT ALL SELECT * FROM ({sharedSql}) AS shared) AS extra"));
        // the monitored names alone are more than one (a skip scan stopping after its first name would fail here)
        var monitored = Convert.ToInt64(await connection.ExecuteScalarAsync(
            "SELECT COUNT(*) FROM (SELECT DISTINCT level1, level2, level3 FROM fct_indicator_judgement WHERE entity_kind = 'project') AS names"));
        Assert.True(monitored > 1, $"{monitored} monitored indicator names");
        Assert.True(rows >= monitored, $"dim_indicator.sql: {rows} rows, {monitored} monitored names");
        Assert.Equal((0L, 0L), (missing, extra));
    }
}
