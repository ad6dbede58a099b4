using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Rules;

/// <summary>
/// 拟削减/收回 (issue 14 item 3): only 削减/取消, 收回, 暂停拨款 are money taken back, each project once at its largest
/// amount, never above its budget; 优先保障 and the other advice flags are not summed; on both engines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CutTotalsTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    // K1 差 (10 × 20/100 = 2 for 执行率, 0 of 90 for the indicator → 2) → 削减/取消 of its whole budget 100;
    //    at 1-6月 executed 20 of 100 and its 产出 indicator red (5 of the 50 expected) with 完全不可能 → 暂停拨款 100 − 20 = 80
    // K2 优 (10 + 90 = 100) → 优先保障 of 50: advice, not money taken back
    private static (string, string)[] Files() =>
    [
        ("fund.csv", FundHeader + "2024,K1,差项目,D1,一局,年度资金总额,100,100,20,10,2\n"
                                + "2024,K2,优项目,D1,一局,年度资金总额,50,50,50,10,10\n"),
        ("ind.csv", IndicatorHeader + "2024,K1,产出指标,数量指标,完成数量,,≥100个,,0,90,\n"
                                    + "2024,K2,产出指标,数量指标,完成数量,,≥100个,,100,90,\n"),
        ("mfund.csv", MonitoringFundHeader + "2024,1-6月,K1,差项目,D1,一局,年度资金总额,100,,20,\n"),
        ("mind.csv", MonitoringHeader + "2024,1-6月,K1,产出指标,数量指标,完成数量,,100,个,,5,完全不可能\n"),
    ];

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_project_with_two_cut_flags_counts_once_at_its_largest_and_advice_flags_are_not_money(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, Files());
        await using (var connection = await engine.OpenAsync())
        {
            var flags = (await connection.QueryAsync<(string, string, decimal?)>(
                "SELECT project_code, flag, amount FROM mart_cut_candidates ORDER BY project_code, flag")).ToList();
            Assert.Contains(("K1", "削减/取消", (decimal?)100m), flags);
            Assert.Contains(("K1", "暂停拨款", (decimal?)80m), flags);
            Assert.Contains(("K2", "优先保障", (decimal?)50m), flags);
        }

        var kpi = await new OverviewQueries(engine).CutKpiAsync(DataScope.All, 2024);

        // max(100, 80) = 100 for K1 alone; the old sum of every flag was 100 + 80 + 50 = 230 against a budget of 150
        Assert.Equal(100m, kpi.Amount);
        Assert.Equal(1L, kpi.Projects);
        var other = await new OverviewQueries(engine).CutKpiAsync(DataScope.Of(["D2"]), 2024);
        Assert.Null(other.Amount);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_data_test_fails_when_a_department_would_cut_more_than_its_budget(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, Files());
        await using var connection = await engine.OpenAsync();
        // the test's own SQL over a takeback table forced above the budget: K1's 100 becomes 1,000 > 150 of 一局
        await connection.ExecuteAsync("UPDATE mart_cut_takeback SET amount = 1000 WHERE project_code = 'K1'");
        var sql = await File.ReadAllTextAsync(Path.Combine(BudgetPerf.Warehouse.SqlAssets.Tests, "cut_takeback_within_budget.sql"));
        var failures = (await connection.QueryAsync<(int, string, string)>(
            $"SELECT fiscal_year, level, code FROM ({Rendered(sql)}) f ORDER BY level, code")).ToList();
        // 一局 without a 区划代码 is 未划分 (000000) at every level: its department and its 省, 市 and 县 each fail
        Assert.Equal([(2024, "department", "D1"), (2024, "县", "000000"), (2024, "市", "000000"), (2024, "省", "000000")],
            failures.OrderBy(f => f.Item2 == "department" ? 0 : f.Item2 == "县" ? 1 : f.Item2 == "市" ? 2 : 3));
    }

    private static string Rendered(string sql) =>
        System.Text.RegularExpressions.Regex.Replace(sql, @"\{\{\s*ref\('([a-z_0-9]+)'\)\s*\}\}", "$1");

    public void Dispose() => _dir.Dispose();
}
