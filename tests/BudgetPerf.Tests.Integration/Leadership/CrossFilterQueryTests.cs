using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Leadership;

/// <summary>
/// 交叉筛选 and the grade transition (issue 17 items 1 and 4) over a hand-made warehouse, on both engines: a department,
/// a light or a grade narrows the 总览 and 等级 queries to the hand-counted projects, the caller's scope still bounds it,
/// and mart_grade_transition pairs each project's grades of two years.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrossFilterQueryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    // 自评 (预算执行率 w 10 + one 质量 indicator w 90):
    //   2024 A01 教育局 9 + 54 = 63 中;  A02 教育局 4 + 0 = 4 差;   B01 交通局 10 + 90 = 100 优
    //   2025 A01        10 + 90 = 100 优; A02        4 + 0 = 4 差;   B01        10 + 54 = 64 中
    //   → transitions 2025: A01 中→优 (up), A02 差→差 (same), B01 优→中 (down)
    // 监控 2025 1-6月 (序时进度 0.5; 质量 ≥100%, the annual rate is the expected value):
    //   A01 budget 100, executed 50 → r 100 green; indicator 100 → green, shortfall 0            → green
    //   A02 budget 50,  executed 5  → r 20 red;    indicator 50 → red, shortfall 0.5            → red
    //   B01 budget 80,  executed 30 → r 75 yellow; indicator 70 → yellow, shortfall 0.3         → yellow
    private Task<WarehouseEngine> BuiltAsync(string engineName) => BuildAsync(engineName, _dir, postgres,
        ("fund.csv", FundHeader + "2024,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,100,90,10,9\n"
                                + "2024,A02,校舍维修改造经费,101,教育局,年度资金总额,50,50,20,10,4\n"
                                + "2024,B01,农村公路养护,102,交通局,年度资金总额,80,80,80,10,10\n"
                                + "2025,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,100,100,10,10\n"
                                + "2025,A02,校舍维修改造经费,101,教育局,年度资金总额,50,50,20,10,4\n"
                                + "2025,B01,农村公路养护,102,交通局,年度资金总额,80,80,80,10,10\n"),
        ("ind.csv", IndicatorHeader + "2024,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,60,90,54\n"
                                    + "2024,A02,产出指标,质量指标,维修验收合格率,≥,100,%,0,90,0\n"
                                    + "2024,B01,产出指标,质量指标,养护合格率,≥,100,%,100,90,90\n"
                                    + "2025,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,100,90,90\n"
                                    + "2025,A02,产出指标,质量指标,维修验收合格率,≥,100,%,0,90,0\n"
                                    + "2025,B01,产出指标,质量指标,养护合格率,≥,100,%,60,90,54\n"),
        ("mf.csv", MonitoringFundHeader + "2025,1-6月,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                        + "2025,1-6月,A02,校舍维修改造经费,101,教育局,年度资金总额,50,,5,\n"
                                        + "2025,1-6月,B01,农村公路养护,102,交通局,年度资金总额,80,,30,\n"),
        ("mi.csv", MonitoringHeader + "2025,1-6月,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,,100,确定能\n"
                                    + "2025,1-6月,A02,产出指标,质量指标,维修验收合格率,≥,100,%,,50,有可能\n"
                                    + "2025,1-6月,B01,产出指标,质量指标,养护合格率,≥,100,%,,70,确定能\n"));

    private static CrossFilter Cross(string? dept = null, string? light = null, string? grade = null) =>
        CrossFilter.FromQuery(dept, light, grade) with { Year = 2025, Period = "1-6月", GradeYear = 2025 };

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_department_light_or_grade_narrows_the_overview_to_the_hand_counted_projects(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var overview = new OverviewQueries(engine);
        var regions = new RegionQueries(engine);

        // the lights are as worked out above
        await using (var c = await engine.OpenAsync())
            Assert.Equal(["A01:green", "A02:red", "B01:yellow"], (await c.QueryAsync<string>(engine.Sql(
                "SELECT project_code || ':' || warning FROM mart_project_deviation WHERE fiscal_year = 2025 ORDER BY project_code"))).ToList());

        // 红灯: A02 alone (budget 50); 优 (2025): A01 alone (budget 100, green); 教育局: A01 + A02 (150, one red)
        var red = (await overview.KpisAsync(DataScope.All, Cross(light: "red"), 2025, "1-6月"))!;
        Assert.Equal((1L, 50m, 1L, 0L), (red.Projects, red.Budget!.Value, red.RedCount, red.YellowCount));
        var excellent = (await overview.KpisAsync(DataScope.All, Cross(grade: "优"), 2025, "1-6月"))!;
        Assert.Equal((1L, 100m, 1L), (excellent.Projects, excellent.Budget!.Value, excellent.GreenCount));
        var education = (await overview.KpisAsync(DataScope.All, Cross(dept: "101"), 2025, "1-6月"))!;
        Assert.Equal((2L, 150m, 55m, 1L), (education.Projects, education.Budget!.Value, education.Executed!.Value, education.RedCount));

        // heatmap: 教育局 × 质量 from the mart = mean(0, 0.5) = 0.25; by grade 差 (A02 only, from its indicators) 0.5;
        // by 黄灯 only 交通局's row, B01's 0.3
        Assert.Equal(0.25m, (await overview.HeatmapAsync(DataScope.All, Cross(dept: "101"), 2025, "1-6月")).Single().MeanShortfall);
        var poor = (await overview.HeatmapAsync(DataScope.All, Cross(grade: "差"), 2025, "1-6月")).Single();
        Assert.Equal(("101", "质量", 0.5m, 1L), (poor.DepartmentCode, poor.IndicatorCategory, poor.MeanShortfall!.Value, poor.IndicatorCount));
        var yellow = (await overview.HeatmapAsync(DataScope.All, Cross(light: "yellow"), 2025, "1-6月")).Single();
        Assert.Equal(("102", 0.3m), (yellow.DepartmentCode, yellow.MeanShortfall!.Value));
        Assert.Equal(1, await overview.HeatmapDepartmentCountAsync(DataScope.All, Cross(light: "yellow"), 2025, "1-6月"));
        // the region drill's rows (one 未划分 row here) and its heatmap follow the same projects
        var redRow = (await regions.ChildrenAsync(DataScope.All, Cross(light: "red"), 2025, "1-6月", null)).Single();
        Assert.Equal((1L, 50m, 1L), (redRow.Projects, redRow.Budget!.Value, redRow.RedCount));
        Assert.Equal(0.5m, (await regions.HeatmapAsync(DataScope.All, Cross(light: "red"), 2025, "1-6月", null)).Single().MeanShortfall);
        // grades by department, 黄灯 only: 交通局 one 中
        var grades = await overview.GradesAsync(DataScope.All, Cross(light: "yellow"), 2025);
        Assert.Equal(("102", "中", 1L), (grades.Single().DepartmentCode, grades.Single().Grade, grades.Single().Projects));
        // the trend of the red projects: 2025 1-6月 budget 50, executed 5
        var trend = (await overview.TrendAsync(DataScope.All, Cross(light: "red"))).Single();
        Assert.Equal((50m, 5m), (trend.Budget!.Value, trend.Executed!.Value));

        // a 交通局 user filtering 教育局 sees nothing: the scope still bounds the filter
        var otherDepartment = await overview.KpisAsync(DataScope.Of(["102"]), Cross(dept: "101"), 2025, "1-6月");
        Assert.Equal(0L, otherDepartment!.Projects);
        Assert.Empty(await overview.HeatmapAsync(DataScope.Of(["102"]), Cross(dept: "101"), 2025, "1-6月"));
        Assert.Null(await overview.DepartmentNameAsync(DataScope.Of(["102"]), "101"));
        Assert.Equal("教育局", await overview.DepartmentNameAsync(DataScope.All, "101"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_transition_matrix_pairs_each_projects_grades_of_two_years_and_follows_the_cross_filter(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var queries = new GradeQueries(engine);

        // mart_grade_transition: A01 中→优 up, A02 差→差 same, B01 优→中 down, orders from the grade_band seed
        await using (var c = await engine.OpenAsync())
            Assert.Equal(["A01 中(3)→优(1) up", "A02 差(4)→差(4) same", "B01 优(1)→中(3) down"], (await c.QueryAsync<string>(engine.Sql("""
                SELECT project_code || ' ' || from_grade || '(' || CAST(from_grade_order AS VARCHAR) || ')→' || to_grade
                       || '(' || CAST(to_grade_order AS VARCHAR) || ') ' || direction
                FROM mart_grade_transition WHERE fiscal_year = 2025 ORDER BY project_code
                """))).ToList());

        // dim_grade: the grade_band seed's bands in its order, then 未评 (listed whether or not a project has it)
        Assert.Equal(["优", "良", "中", "差", "未评"], (await queries.GradeNamesAsync()).Select(g => g.Grade).ToList());
        var all = await queries.TransitionsAsync(DataScope.All, CrossFilter.None, 2025);
        Assert.Equal(["优→中:1", "中→优:1", "差→差:1"], all.Select(t => $"{t.FromGrade}→{t.ToGrade}:{t.Projects}").ToList());
        Assert.Equal(["优→中:1"], (await queries.TransitionsAsync(DataScope.All, Cross(dept: "102"), 2025)).Select(t => $"{t.FromGrade}→{t.ToGrade}:{t.Projects}"));
        Assert.Equal(["差→差:1"], (await queries.TransitionsAsync(DataScope.All, Cross(light: "red"), 2025)).Select(t => $"{t.FromGrade}→{t.ToGrade}:{t.Projects}"));

        var moved = await queries.MovedProjectsAsync(DataScope.All, CrossFilter.None, 2025, "中", "优");
        Assert.Equal(("A01", "教育局", 100m), (moved.Single().ProjectCode, moved.Single().DepartmentName, moved.Single().Budget!.Value));
        Assert.Empty(await queries.MovedProjectsAsync(DataScope.Of(["102"]), CrossFilter.None, 2025, "中", "优"));

        // 预算安排建议 of the 差 projects only: A02's 削减 line (−30% × 50 = −15) is the net of 教育局
        var net = (await queries.AllocationAsync(DataScope.All, Cross(grade: "差"), 2025)).Where(a => a.Flag == GradeQueries.NetFlag).ToList();
        Assert.Equal(("101", 1L, -15m), (net.Single().DepartmentCode, net.Single().Projects, net.Single().SuggestedChange!.Value));
        // the 全部部门 line (the warehouse's sum): of the 差 projects A02 alone, −15; unfiltered, each flag's line is its
        // departments' lines added up (a flag moving no money, 0)
        var poorTotal = (await queries.AllocationTotalsAsync(DataScope.All, Cross(grade: "差"), 2025)).Single(a => a.Flag == GradeQueries.NetFlag);
        Assert.Equal((1L, -15m), (poorTotal.Projects, poorTotal.SuggestedChange!.Value));
        var lines = await queries.AllocationAsync(DataScope.All, CrossFilter.None, 2025);
        Assert.Equal(lines.GroupBy(a => a.Flag).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key}:{g.Sum(a => a.Projects)}:{g.Sum(a => a.SuggestedChange ?? 0):0.00}"),
            (await queries.AllocationTotalsAsync(DataScope.All, CrossFilter.None, 2025)).OrderBy(a => a.Flag, StringComparer.Ordinal)
                .Select(a => $"{a.Flag}:{a.Projects}:{a.SuggestedChange:0.00}"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_grade_chart_of_the_page_and_its_png_follows_the_cross_filter_and_rates_of_sums_come_from_the_warehouse(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var overview = new OverviewQueries(engine);

        // the grade year: 2025 has grades; 2026 has none, so the year before; 2030 has neither year, so itself
        Assert.Equal((2025, 2025, 2030), (await overview.GradeYearAsync(2025), await overview.GradeYearAsync(2026), await overview.GradeYearAsync(2030)));
        // unfiltered 2025: 教育局 A01 优 + A02 差 (2 projects, rank 1), 交通局 B01 中 (1, rank 2)
        var all = (await overview.GradeChartAsync(DataScope.All, CrossFilter.None, 2025))!;
        Assert.Equal(["教育局", "交通局"], all.Departments);
        Assert.Equal(["优:1,0", "良:0,0", "中:0,1", "差:1,0", "未评:0,0"], all.Series().Select(s => $"{s.Grade}:{string.Join(",", s.Projects)}"));
        // 黄灯 of 2025 1-6月 is B01 alone: the chart (page and PNG) keeps 交通局's one 中
        var yellow = (await overview.GradeChartAsync(DataScope.All, Cross(light: "yellow"), 2025))!;
        Assert.Equal(["交通局"], yellow.Departments);
        Assert.Equal(["优:0", "良:0", "中:1", "差:0", "未评:0"], yellow.Series().Select(s => $"{s.Grade}:{string.Join(",", s.Projects)}"));
        // grade 差 is A02 (教育局); a 交通局 user filtering 教育局 gets no chart
        Assert.Equal(["教育局"], (await overview.GradeChartAsync(DataScope.All, Cross(grade: "差"), 2025))!.Departments);
        Assert.Null(await overview.GradeChartAsync(DataScope.Of(["102"]), Cross(dept: "101"), 2025));
        // the unfiltered overload asked for 2026 draws 2025 (the year before)
        Assert.Equal(2025, (await overview.GradeChartAsync(DataScope.All, 2026))!.Year);

        // 执行率 = execution_rate(Σ执行数, Σ预算数), 4 places: all (50 + 5 + 30) / (100 + 50 + 80) = 85 / 230 = 0.369565… → 0.3696;
        // 教育局 (50 + 5) / 150 = 0.366666… → 0.3667; the red projects' trend 5 / 50 = 0.1; the drill's red row 0.1
        Assert.Equal(0.3696m, (await overview.KpisAsync(DataScope.All, CrossFilter.None, 2025, "1-6月"))!.ExecutionRate);
        Assert.Equal(0.3667m, (await overview.KpisAsync(DataScope.All, Cross(dept: "101"), 2025, "1-6月"))!.ExecutionRate);
        // the card's red (落后序时进度) is the query's: 序时进度 of 1-6月 = 6 ÷ 12 = 0.5; all 0.3696 < 0.5 → behind;
        // 优 is A01 alone, 50 / 100 = 0.5, not below 0.5 → not behind (green)
        var allKpis = (await overview.KpisAsync(DataScope.All, CrossFilter.None, 2025, "1-6月"))!;
        Assert.Equal((0.5m, true), (allKpis.ScheduleRate!.Value, allKpis.BehindSchedule));
        var onSchedule = (await overview.KpisAsync(DataScope.All, Cross(grade: "优"), 2025, "1-6月"))!;
        Assert.Equal((0.5m, 0.5m, false), (onSchedule.ExecutionRate!.Value, onSchedule.ScheduleRate!.Value, onSchedule.BehindSchedule));
        // the grade card's counts (GROUP BY in the query, dim_grade's band order): 2025 优 A01, 中 B01, 差 A02, no 良 → 1/0/1/1;
        // 黄灯 (B01 alone) → 0/0/1/0
        Assert.Equal(["优:1", "良:0", "中:1", "差:1"], (await overview.GradeTotalsAsync(DataScope.All, CrossFilter.None, 2025)).Select(g => $"{g.Grade}:{g.Projects}"));
        Assert.Equal(["优:0", "良:0", "中:1", "差:0"], (await overview.GradeTotalsAsync(DataScope.All, Cross(light: "yellow"), 2025)).Select(g => $"{g.Grade}:{g.Projects}"));
        Assert.Equal(0.1m, (await overview.TrendAsync(DataScope.All, Cross(light: "red"))).Single().ExecutionRate);
        Assert.Equal(0.1m, (await new RegionQueries(engine).ChildrenAsync(DataScope.All, Cross(light: "red"), 2025, "1-6月", null)).Single().ExecutionRate);

        // 趋势's chart by 部门: 教育局 (budget 150) before 交通局 (80); at 2025 1-6月 55 / 150 → 36.67 %, 30 / 80 → 37.5 %
        var chart = await new TrendQueries(engine).ChartAsync(DataScope.All, "dept", null);
        var at = chart.Labels.ToList().IndexOf("2025 1-6月");
        Assert.True(at >= 0, string.Join(" ", chart.Labels));
        Assert.Equal(["教育局:36.67", "交通局:37.50"], chart.Series().Select(s => $"{s.Name}:{s.Percent[at]:0.00}"));
    }

    public void Dispose() => _dir.Dispose();
}
