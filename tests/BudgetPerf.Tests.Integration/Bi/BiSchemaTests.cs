using System.Text.RegularExpressions;
using BudgetPerf.Dashboard.Cli;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Bi;

/// <summary>
/// The bi schema on both engines: built by the model build, every view and column commented in Chinese, and the
/// trend mart a time series in the periods' order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class BiSchemaTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Every_bi_view_and_column_carries_a_chinese_comment(string engineName)
    {
        var engine = await BiWarehouse.BuildAsync(engineName, _dir, postgres);
        var expected = new BiLayer(engine).Views(SqlAssets.Root).Order().ToArray();
        await using var connection = await engine.OpenAsync();
        var sql = engineName == "duckdb"
            ? """
              SELECT v.view_name AS "View", c.column_name AS "Column", v.comment AS "ViewComment", c.comment AS "ColumnComment"
              FROM duckdb_views() v JOIN duckdb_columns() c ON c.schema_name = v.schema_name AND c.table_name = v.view_name
              WHERE v.schema_name = 'bi'
              """
            : """
              SELECT c.relname AS "View", a.attname AS "Column", obj_description(c.oid, 'pg_class') AS "ViewComment",
                     col_description(c.oid, a.attnum) AS "ColumnComment"
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              WHERE n.nspname = 'bi' AND c.relkind = 'v'
              """;
        var columns = (await connection.QueryAsync<(string View, string Column, string? ViewComment, string? ColumnComment)>(sql)).ToArray();
        Assert.Equal(expected, columns.Select(c => c.View).Distinct().Order().ToArray());
        Assert.All(columns, c =>
        {
            Assert.True(c.ViewComment is not null && Chinese().IsMatch(c.ViewComment), $"bi.{c.View} has no Chinese comment");
            Assert.True(c.ColumnComment is not null && Chinese().IsMatch(c.ColumnComment), $"bi.{c.View}.{c.Column} has no Chinese comment");
        });
        // the star's keys: 2025年1-6月 is period_key 2025 × 100 + sort order 6 = 202506 in the fact and the dimension
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM bi.fct_project_deviation f JOIN bi.dim_period p ON p.period_key = f.period_key " +
            "WHERE f.project_code = 'M02' AND p.period_key = 202506 AND p.period = '1-6月'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Trend_mart_and_its_export_are_a_time_series_in_period_order(string engineName)
    {
        var engine = await BiWarehouse.BuildAsync(engineName, _dir, postgres);
        await using (var connection = await engine.OpenAsync())
        {
            var rows = (await connection.QueryAsync<(string Period, int SortOrder, DateTime End, decimal Rate)>("""
                SELECT period, period_sort_order, period_end, execution_rate FROM mart_trends
                WHERE department_code = '101' ORDER BY fiscal_year, period_sort_order
                """)).ToArray();
            // 执行率 = executed / budget: 20/100, 50/100, 90/100; the periods end on 3-31, 6-30, 12-31
            Assert.Equal(new[] { ("1-3月", 3, new DateTime(2025, 3, 31), 0.2m), ("1-6月", 6, new DateTime(2025, 6, 30), 0.5m),
                ("1-12月", 12, new DateTime(2025, 12, 31), 0.9m) }, rows);
        }

        // the CLI export keeps that order (by text, 1-12月 would come before 1-3月)
        var csv = _dir.File("trends.csv");
        await ExportCommand.WriteAsync(engine, "mart_trends", 2025, "csv", csv, CancellationToken.None);
        var periods = File.ReadAllLines(csv).Skip(1).Where(l => l.Contains(",101,")).Select(l => l.Split(',')[1]).ToArray();
        Assert.Equal(["1-3月", "1-6月", "1-12月"], periods);
    }
}
