using System.Globalization;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// A 年度 that arrives and leaves (issue 15, the deadline week's first pass): one department's 1-6月 监控资金 of a year
/// the warehouse has not seen changes dim_period (the 期间 seed × the years present), and the batch withdrawn changes it
/// back. mart_cut_candidates and mart_trends stay incremental (they were rebuilt in full whenever dim_period changed):
/// the new year's rows are all of the changed batch's projects. Each step is compared with a full refresh by
/// <see cref="IncrementalBuildTests"/>' sequence, so an incremental row the full build lacks, or the reverse, fails it.
/// </summary>
public static class IncrementalYearCases
{
    public static async Task RunAsync(DemoSlices demo, string department, WarehouseEngine incremental, WarehouseEngine full,
        Func<string, string, Task<(long Incremental, long Full)>> load, Func<string, Task<IReadOnlyList<NodeResult>>> buildAndCompare)
    {
        var latest = demo.Files.Where(f => f.EndsWith("_1-6月_监控资金.csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        var year = int.Parse(Path.GetFileName(latest)[..4], CultureInfo.InvariantCulture);
        var next = year + 1;
        var funds = demo.Keep(latest, (d, _) => d == department);
        int yearColumn = funds.Column("年度"), line = funds.Column("资金类别"), adjusted = funds.Column("调整后预算数");
        int executed = funds.Column("期间执行数"), carried = funds.Column("结转年数"), code = funds.Column("项目编码");
        // one 上年结转资金 line carried over for 2 years (carryover_recover_years) and unspent at 1-6月: a 收回 candidate of
        // the new year, whose 期间 is found through dim_period (carryover's last period)
        var carryover = funds.Rows.FindIndex(r => r[line] == "上年结转资金" && decimal.Parse(r[adjusted], CultureInfo.InvariantCulture) > 0);
        Assert.True(carryover >= 0, $"{department} has a 上年结转资金 line with a budget");
        var project = funds.Rows[carryover][code];
        var budget = decimal.Parse(funds.Rows[carryover][adjusted], CultureInfo.InvariantCulture);
        var rows = funds.Rows.Select((r, index) => r.Select((v, i) =>
            i == yearColumn ? next.ToString(CultureInfo.InvariantCulture)
            : index == carryover && i == executed ? "0"
            : index == carryover && i == carried ? "2" : v).ToList()).ToList();
        // the project's other 上年结转资金 lines (none in the demo) would add to the balance: only this one is unspent
        Assert.Single(rows, r => r[code] == project && r[line] == "上年结转资金");

        // step 13: a new 年度 arrives
        var batches = await load("new-year/监控资金.csv", (funds with { Rows = rows }).Text());
        var arrived = await buildAndCompare("a new 年度's first upload");
        Assert.Equal(19, await CountAsync(incremental, "dim_period", next)); // the 期间 seed's 19 periods (1-1月 … 全年)
        Assert.StartsWith("incremental:", arrived.Single(n => n.Node == "mart_cut_candidates").Message);
        Assert.StartsWith("incremental:", arrived.Single(n => n.Node == "mart_trends").Message);
        // 收回 the line's whole balance: budget − 0 executed, as its 1-6月 is the year's last period loaded
        Assert.Equal(budget, await RecoveredAsync(incremental, next, project));

        // step 14: the year's only batch withdrawn: the 年度 leaves dim_period, and its rows leave the marts
        foreach (var (engine, batch) in new[] { (incremental, batches.Incremental), (full, batches.Full) })
        {
            await using var connection = await engine.OpenAsync();
            await connection.ExecuteAsync($"UPDATE etl_batch SET status = 'withdrawn' WHERE batch_id = {batch}");
        }
        var left = await buildAndCompare("the new 年度's only batch withdrawn");
        Assert.Equal(0, await CountAsync(incremental, "dim_period", next));
        Assert.Equal(0, await CountAsync(incremental, "mart_cut_candidates", next));
        Assert.Equal(0, await CountAsync(incremental, "mart_trends", next));
        Assert.StartsWith("incremental:", left.Single(n => n.Node == "mart_cut_candidates").Message);
        Assert.StartsWith("incremental:", left.Single(n => n.Node == "mart_trends").Message);
    }

    private static async Task<long> CountAsync(WarehouseEngine engine, string table, int year)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync(engine.Sql($"SELECT COUNT(*) FROM {table} WHERE fiscal_year = @year"), new { year }));
    }

    private static async Task<decimal?> RecoveredAsync(WarehouseEngine engine, int year, string project)
    {
        await using var connection = await engine.OpenAsync();
        return await connection.ExecuteScalarAsync<decimal?>(engine.Sql(
            "SELECT amount FROM mart_cut_candidates WHERE fiscal_year = @year AND project_code = @project AND flag = '收回'"),
            new { year, project });
    }
}
