using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Rules;

/// <summary>
/// 等级与预算挂钩: the allocation suggestion per department (mart_cut_candidates); 趋势 by indicator category
/// (mart_department_heatmap summed over departments); the ranking's category filter (a heatmap cell's drill); on both engines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PageQueryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string IndicatorHeader = "年度,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,实际完成值,分值,得分\n";

    private const string MonitoringFundHeader = "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数,结转年数\n";

    private Task<WarehouseEngine> BuiltAsync(string engineName, params (string Name, string Csv)[] files) =>
        HandMade.BuildAsync(engineName, _dir, postgres, files);

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_mid_and_a_poor_project_sum_to_the_department_cut(string engineName)
    {
        // given two projects of 教育局 in 2025:
        //   A01 budget 100, executed 90 → 预算执行率 10 × 0.9 = 9; 质量 60 of 100 → 90 × 0.6 = 54; 63 → 中 → 从紧安排 −10% of 100 = −10
        //   A02 budget 50, executed 20 → 10 × 0.4 = 4; 质量 0 of 100 → 0; 4 → 差 → 削减/取消 −30% of 50 = −15
        var engine = await BuiltAsync(engineName,
            ("fund.csv", FundHeader + "2025,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,100,90,10,9\n"
                                    + "2025,A02,校舍维修改造经费,101,教育局,年度资金总额,50,50,20,10,4\n"),
            ("ind.csv", IndicatorHeader + "2025,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,60,90,54\n"
                                        + "2025,A02,产出指标,质量指标,维修验收合格率,≥,100,%,0,90,0\n"));

        // when
        var lines = await new GradeQueries(engine).AllocationAsync(DataScope.All, 2025);

        // then: one line per flag, and the net line counts each project once
        var byFlag = lines.Where(l => l.DepartmentCode == "101").ToDictionary(l => l.Flag);
        Assert.Equal(-10m, byFlag["从紧安排"].SuggestedChange);
        Assert.Equal(-15m, byFlag["削减/取消"].SuggestedChange);
        Assert.Equal(1, byFlag["削减/取消"].Projects);
        Assert.Equal("教育局", byFlag[GradeQueries.NetFlag].DepartmentName);
        Assert.Equal(2, byFlag[GradeQueries.NetFlag].Projects);
        Assert.Equal(-25m, byFlag[GradeQueries.NetFlag].SuggestedChange);
        Assert.Equal(150m, byFlag[GradeQueries.NetFlag].Amount);
    }

    private Task<WarehouseEngine> MonitoredAsync(string engineName) => BuiltAsync(engineName,
        ("mf.csv", MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                        + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,100,,50,\n"),
        ("mi.csv", MonitoringHeader + "2025,1-6月,M01,产出指标,质量指标,覆盖率,≥,100,%,,50,有可能\n"
                                    + "2025,1-6月,M02,产出指标,质量指标,养护合格率,≥,100,%,,100,确定能\n"
                                    + "2025,1-6月,M02,产出指标,质量指标,验收合格率,≥,100,%,,100,确定能\n"));

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_category_filter_keeps_projects_with_an_indicator_of_it_in_the_department(string engineName)
    {
        // given M01 (教育局) and M02 (交通局) at 2025 1-6月, each with 质量 indicators only
        var ranking = new RankingQueries(await MonitoredAsync(engineName));
        var cell = new DeviationFilter { Scope = DataScope.All, Year = 2025, Period = "1-6月", Department = "101", Category = "质量" };

        // when / then: the heatmap cell (教育局 × 质量) has M01; all departments have both; 数量 has none
        Assert.Equal(["M01"], (await ranking.PageAsync(cell, null, true, 0, 25)).Rows.Select(r => r.ProjectCode));
        Assert.Equal(2, (await ranking.PageAsync(cell with { Department = null }, null, true, 0, 25)).Total);
        Assert.Equal(2, (await ranking.PageAsync(new DeviationFilter { Scope = DataScope.All, Category = "质量" }, null, true, 0, 25)).Total);
        Assert.Equal(0, (await ranking.PageAsync(cell with { Category = "数量" }, null, true, 0, 25)).Total);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_category_trend_weights_departments_by_reported_indicators(string engineName)
    {
        // given 质量 indicators (≥100%, a rate: expected = the annual target) in two departments at 2025 1-6月:
        //   101: 50% → r = 50, shortfall 0.5, red; 102: 100% and 100% → shortfall 0, 0
        var engine = await MonitoredAsync(engineName);

        // when
        var rows = await new TrendQueries(engine).ListAsync(DataScope.All, "category", null);

        // then: (0.5 × 1 + 0 × 2) / 3 = 0.1667 (the mart rounds each cell's mean to 4 places first)
        var quality = Assert.Single(rows, r => r.GroupCode == "质量");
        Assert.Equal((2025, "1-6月"), (quality.FiscalYear, quality.Period));
        Assert.Equal(3, quality.IndicatorCount);
        Assert.Equal(0.1667m, quality.MeanShortfall);
        Assert.Equal(1, quality.RedCount);
        var oneDept = Assert.Single(await new TrendQueries(engine).ListAsync(DataScope.All, "category", "102"));
        Assert.Equal(0m, oneDept.MeanShortfall);
    }

    public void Dispose() => _dir.Dispose();
}
