using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>
/// Row-level scope in the query layer: a 部门 user of 教育局 (101) sees M01 only, on every page query, and 交通局's M02
/// is "not found" through the drill; an empty scope sees nothing; on both engines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScopedQueryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly DataScope Education = DataScope.Of(["101"]);

    public void Dispose() => _dir.Dispose();

    private Task<WarehouseEngine> BuiltAsync(string engineName) => HandMade.BuildAsync(engineName, _dir, postgres,
        ("mf.csv", MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                        + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n"),
        ("mi.csv", MonitoringHeader + "2025,1-6月,M01,产出指标,质量指标,覆盖率,≥,100,%,,50,有可能\n"
                                    + "2025,1-6月,M02,产出指标,质量指标,养护合格率,≥,100,%,,100,确定能\n"));

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_department_scope_sees_only_its_own_projects_on_every_query(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var ranking = new RankingQueries(engine);
        var overview = new OverviewQueries(engine);
        var drill = new ProjectDrillQueries(engine);

        // ranking, export query and department slicer
        var mine = new DeviationFilter { Scope = Education, Year = 2025 };
        Assert.Equal(["M01"], (await ranking.PageAsync(mine, null, true, 0, 25)).Rows.Select(r => r.ProjectCode));
        Assert.Equal(0, (await ranking.PageAsync(mine with { Department = "102" }, null, true, 0, 25)).Total);
        Assert.Equal(2, (await ranking.PageAsync(mine with { Scope = DataScope.All }, null, true, 0, 25)).Total);
        Assert.Equal(["101"], (await ranking.DepartmentsAsync(Education)).Select(d => d.DepartmentCode));

        // overview: KPIs over 教育局's budget only (100, not 400), heatmap rows of 101 only
        var kpis = await overview.KpisAsync(Education, 2025, "1-6月");
        Assert.Equal((1L, 100m, 50m), (kpis!.Projects, kpis.Budget, kpis.Executed));
        Assert.Equal(400m, (await overview.KpisAsync(DataScope.All, 2025, "1-6月"))!.Budget);
        Assert.All(await overview.HeatmapAsync(Education, 2025, "1-6月"), c => Assert.Equal("101", c.DepartmentCode));
        Assert.Equal(100m, Assert.Single(await overview.TrendAsync(Education)).Budget);
        // 纠偏跟踪: M01's red 覆盖率 has no correction; 交通局 has nothing deviating
        Assert.Equal(1, await overview.UncorrectedAsync(Education, 2025, "1-6月"));
        Assert.Equal(0, await overview.UncorrectedAsync(DataScope.Of(["102"]), 2025, "1-6月"));

        // drill: own project found, the other department's project is exactly as unknown as a made-up code
        Assert.NotNull(await drill.HeaderAsync(Education, "M01"));
        Assert.Null(await drill.HeaderAsync(Education, "M02"));
        Assert.Empty(await drill.DeviationAsync(Education, "M02"));
        Assert.Empty(await drill.DerivationAsync(Education, "M02", 2025));
        Assert.Empty(await drill.SubmissionsAsync(Education, "M02"));
        Assert.NotEmpty(await drill.DerivationAsync(Education, "M01", 2025));

        // trends by fund nature and by category are computed over the scope, not over everyone
        Assert.Equal(100m, Assert.Single(await new TrendQueries(engine).ListAsync(Education, "fund", null)).Budget);
        Assert.Equal(0.5m, Assert.Single(await new TrendQueries(engine).ListAsync(Education, "category", null)).MeanShortfall);

        // an empty scope (a 部门 user with no department) sees nothing at all
        Assert.Equal(0, (await ranking.PageAsync(mine with { Scope = DataScope.Of([]) }, null, true, 0, 25)).Total);
        Assert.Null(await drill.HeaderAsync(DataScope.Of([]), "M01"));
    }
}
