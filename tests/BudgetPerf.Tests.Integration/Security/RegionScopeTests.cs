using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>
/// 行政区划 (issue 14): the drill 省 → 市 → 县 → 部门 with its totals, the search slicer, and a county-scoped user who
/// sees only its county on every query, report and upload — tested like the department scope; on both engines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RegionScopeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly DataScope Qinghe = DataScope.OfRegion("660121");

    public void Dispose() => _dir.Dispose();

    // D1 清河县 (660121) budget 100, D2 平川县 (660122) 200 — both 金川市 (660100); D3 青原市 石城县 (660201) 300;
    // D4 has no 区划代码 (未划分) 400. Every province total below is a sum of these.
    private Task<WarehouseEngine> BuiltAsync(string engineName) => HandMade.BuildAsync(engineName, _dir, postgres,
        ("项目信息.csv", "项目编码,项目名称,主管部门编码,主管部门,区划代码,省级区划,市级区划,县级区划\n"
            + "R1,课后服务补助,D1,清河县教育局,660121,河西省,金川市,清河县\n"
            + "R2,农村公路养护,D2,平川县交通局,660122,河西省,金川市,平川县\n"
            + "R3,乡村医生补助,D3,石城县卫健委,660201,河西省,青原市,石城县\n"),
        ("mf.csv", MonitoringFundHeader + "2025,1-6月,R1,课后服务补助,D1,清河县教育局,年度资金总额,100,,50,\n"
                                        + "2025,1-6月,R2,农村公路养护,D2,平川县交通局,年度资金总额,200,,60,\n"
                                        + "2025,1-6月,R3,乡村医生补助,D3,石城县卫健委,年度资金总额,300,,90,\n"
                                        + "2025,1-6月,R4,档案数字化,D4,档案馆,年度资金总额,400,,100,\n"),
        ("mi.csv", MonitoringHeader + "2025,1-6月,R1,产出指标,质量指标,覆盖率,≥,100,%,,50,有可能\n"
                                    + "2025,1-6月,R2,产出指标,质量指标,养护合格率,≥,100,%,,100,确定能\n"));

    private static IEnumerable<(string, string, decimal?)> Rows(IEnumerable<RegionRow> rows) => rows.Select(r => (r.Code, r.Name, r.Budget));

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_drill_goes_province_city_county_department_with_each_levels_budget(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var regions = new RegionQueries(engine);

        Assert.Equal([("000000", "未划分", 400m), ("660000", "河西省", 600m)], Rows(await regions.ChildrenAsync(DataScope.All, 2025, "1-6月", null)));
        Assert.Equal([("660100", "金川市", 300m), ("660200", "青原市", 300m)], Rows(await regions.ChildrenAsync(DataScope.All, 2025, "1-6月", "660000")));
        Assert.Equal([("660121", "清河县", 100m), ("660122", "平川县", 200m)], Rows(await regions.ChildrenAsync(DataScope.All, 2025, "1-6月", "660100")));
        Assert.Equal([("D1", "清河县教育局", 100m)], Rows(await regions.ChildrenAsync(DataScope.All, 2025, "1-6月", "660121")));
        var path = await regions.PathAsync(DataScope.All, "660121");
        Assert.Equal(("河西省", "金川市", "清河县"), (path!.ProvinceName, path.CityName, path.CountyName));
        // heatmap rows at the 市 level are the cities that have indicators (only 金川市: R1 and R2)
        Assert.All(await regions.HeatmapAsync(DataScope.All, 2025, "1-6月", "660000"), c => Assert.Equal("660100", c.DepartmentCode));
        // search as you type
        Assert.Equal([("县", "660122")], (await regions.SearchAsync(DataScope.All, "平川县")).Where(h => h.Kind != "部门").Select(h => (h.Kind, h.Code)));
        Assert.Equal(["D3"], (await regions.SearchAsync(DataScope.All, "卫健")).Select(h => h.Code));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_county_scope_sees_only_its_county_on_every_query_report_and_upload(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var ranking = new RankingQueries(engine);
        var overview = new OverviewQueries(engine);
        var regions = new RegionQueries(engine);
        var drill = new ProjectDrillQueries(engine);

        var mine = new DeviationFilter { Scope = Qinghe, Year = 2025 };
        Assert.Equal(["R1"], (await ranking.PageAsync(mine, null, true, 0, 25)).Rows.Select(r => r.ProjectCode));
        Assert.Equal(["D1"], (await ranking.DepartmentsAsync(Qinghe)).Select(d => d.DepartmentCode));
        Assert.Equal(100m, (await overview.KpisAsync(Qinghe, 2025, "1-6月"))!.Budget);
        Assert.Equal(100m, Assert.Single(await overview.TrendAsync(Qinghe)).Budget);
        Assert.Equal([("660000", "河西省", 100m)], Rows(await regions.ChildrenAsync(Qinghe, 2025, "1-6月", null)));
        Assert.Empty(await regions.SearchAsync(Qinghe, "平川"));
        Assert.NotNull(await drill.HeaderAsync(Qinghe, "R1"));
        Assert.Null(await drill.HeaderAsync(Qinghe, "R2"));
        // drilling narrows a scope but never widens it: 金川市 for everyone is 300; 平川县 inside 清河县's scope is nothing
        Assert.Equal(300m, (await overview.KpisAsync(DataScope.All.Within("660100"), 2025, "1-6月"))!.Budget);
        Assert.Equal(0L, (await overview.KpisAsync(Qinghe.Within("660122"), 2025, "1-6月"))!.Projects);
        Assert.Equal(0, (await ranking.PageAsync(mine with { Department = "D2" }, null, true, 0, 25)).Total);

        // reports: another county's department is as unknown as a made-up one
        Assert.NotNull(await DepartmentReportData.LoadAsync(engine, Qinghe, "D1", 2025, "1-6月"));
        Assert.Null(await DepartmentReportData.LoadAsync(engine, Qinghe, "D2", 2025, "1-6月"));

        // uploads: a row of 平川县's project is refused naming it, and nothing loads; 清河县's own row loads
        var loader = new SubmissionLoader(engine);
        var refused = await loader.LoadFileAsync(_dir.Write("other.csv", MonitoringHeader + "2025,1-6月,R2,产出指标,数量指标,里程,≥,10,公里,,5,有可能\n"),
            new LoadOptions { Scope = Qinghe, SubmittedBy = "qinghe" });
        Assert.Equal(LoadStatus.Rejected, refused.Status);
        Assert.Contains("项目 R2 属于部门 D2，不在您的上报范围（区划 660121）内", refused.Issues.Select(i => i.Message));
        var own = await loader.LoadFileAsync(_dir.Write("own.csv", MonitoringHeader + "2025,1-6月,R1,产出指标,数量指标,课时,≥,10,节,,5,有可能\n"),
            new LoadOptions { Scope = Qinghe, SubmittedBy = "qinghe" });
        Assert.Equal(LoadStatus.Loaded, own.Status);
    }
}
