using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Engines.Postgres;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Readers;

/// <summary>
/// Issue 15, readers at province scale: 总览 cross-filtered by a light reads mart_department_heatmap_light (the heatmap's
/// cells pre-summed by project light) instead of summing the period's indicators. The figures are the hand-computed ones,
/// and the same as the indicator-level query gives once that mart is gone, on both engines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LightCellsQueryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    // 监控 2025 1-6月, 序时进度 0.5; a ≥ % target's expected value is the annual target itself:
    //   A01 教育局 budget 100, executed 10 → 执行率 0.1, r 20 red; 质量 50% → r 50 red, shortfall 0.5;
    //       质量 75% → r 75 yellow, shortfall 0.25; 数量 ≥10个 (cumulative: expected 10 × 0.5 = 5), actual 4 → r 80
    //       green, shortfall 1 − 0.8 = 0.2                                                          → project red
    //   A02 教育局 budget 50, executed 25 → r 100 green; 质量 100% → green, shortfall 0              → project green
    //   B01 交通局 budget 80, executed 8 → r 20 red; 质量 70% → r 70 yellow, shortfall 0.3            → project red
    private Task<WarehouseEngine> BuiltAsync(string engineName) => BuildAsync(engineName, _dir, postgres,
        ("mf.csv", MonitoringFundHeader + "2025,1-6月,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,,10,\n"
                                        + "2025,1-6月,A02,校舍维修改造经费,101,教育局,年度资金总额,50,,25,\n"
                                        + "2025,1-6月,B01,农村公路养护,102,交通局,年度资金总额,80,,8,\n"),
        ("mi.csv", MonitoringHeader + "2025,1-6月,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,,50,有可能\n"
                                    + "2025,1-6月,A01,产出指标,质量指标,家长满意覆盖率,≥,100,%,,75,有可能\n"
                                    + "2025,1-6月,A01,产出指标,数量指标,服务学校数,≥,10,个,,4,确定能\n"
                                    + "2025,1-6月,A02,产出指标,质量指标,维修验收合格率,≥,100,%,,100,确定能\n"
                                    + "2025,1-6月,B01,产出指标,质量指标,养护合格率,≥,100,%,,70,确定能\n"));

    private static CrossFilter Light(string light) => CrossFilter.FromQuery(null, light, null) with { Year = 2025, Period = "1-6月", GradeYear = 2025 };

    /// <summary>A second engine object on the same warehouse: the relations it has seen are its own (a dropped mart is asked again).</summary>
    private static WarehouseEngine Again(WarehouseEngine engine) =>
        EngineFactory.Create(engine is PostgresEngine pg ? pg.ConnectionString : ((DuckDbEngine)engine).FilePath);

    private static string Cells(IEnumerable<HeatmapCell> cells) =>
        string.Join("; ", cells.Select(c => $"{c.DepartmentCode} {c.IndicatorCategory} n{c.IndicatorCount} m{c.MeanShortfall:0.0000} r{c.RedCount}"));

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_red_light_heatmap_reads_the_cells_pre_summed_by_light_and_equals_the_indicator_level_sums(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        await using (var c = await engine.OpenAsync())
        {
            Assert.Equal(["A01:red", "A02:green", "B01:red"], (await c.QueryAsync<string>(engine.Sql(
                "SELECT project_code || ':' || warning FROM mart_project_deviation WHERE fiscal_year = 2025 ORDER BY project_code"))).ToList());
            // 教育局 × 质量 has A01's two indicators under red and A02's one under green: Σ shortfall 0.5 + 0.25 = 0.75
            var row = await c.QuerySingleAsync<(long, long, decimal, decimal, long)>(engine.Sql("""
                SELECT CAST(indicator_count AS BIGINT), CAST(reported_count AS BIGINT), CAST(shortfall_sum AS DECIMAL(18,4)),
                       mean_shortfall, CAST(red_count AS BIGINT)
                FROM mart_department_heatmap_light
                WHERE department_code = '101' AND indicator_category = '质量' AND project_warning = 'red'
                """));
            Assert.Equal((2L, 2L, 0.75m, 0.375m, 1L), row);
            Assert.Equal(4L, await c.ExecuteScalarAsync<long>("SELECT CAST(COUNT(*) AS BIGINT) FROM mart_department_heatmap_light"));
        }

        // 红灯 (A01, B01): 教育局 质量 2 indicators, mean (0.5 + 0.25) / 2 = 0.375, one red; 教育局 数量 0.2;
        // 交通局 质量 0.3 (yellow, not red). 绿灯 (A02): 教育局 质量 0. Unfiltered 教育局 质量: (0.5 + 0.25 + 0) / 3 = 0.25
        const string red = "101 数量 n1 m0.2000 r0; 101 质量 n2 m0.3750 r1; 102 质量 n1 m0.3000 r0";
        var overview = new OverviewQueries(engine);
        Assert.Equal(red, Cells(await overview.HeatmapAsync(DataScope.All, Light("red"), 2025, "1-6月")));
        Assert.Equal("101 质量 n1 m0.0000 r0", Cells(await overview.HeatmapAsync(DataScope.All, Light("green"), 2025, "1-6月")));
        Assert.Equal(2, await overview.HeatmapDepartmentCountAsync(DataScope.All, Light("red"), 2025, "1-6月"));
        Assert.Equal(0.25m, (await overview.HeatmapAsync(DataScope.All, 2025, "1-6月")).Single(h => h.DepartmentCode == "101" && h.IndicatorCategory == "质量").MeanShortfall);
        // the scope still bounds it: a 交通局 user's 红灯 heatmap is its own row only; a department with the light as well
        Assert.Equal("102 质量 n1 m0.3000 r0", Cells(await overview.HeatmapAsync(DataScope.Of(["102"]), Light("red"), 2025, "1-6月")));
        Assert.Equal("101 数量 n1 m0.2000 r0; 101 质量 n2 m0.3750 r1",
            Cells(await overview.HeatmapAsync(DataScope.All, Light("red") with { Department = "101" }, 2025, "1-6月")));
        // the region heatmap (one 未划分 row): 质量 (0.375 × 2 + 0.3 × 1) / 3 = 0.35, 数量 0.2
        var regionCells = await new RegionQueries(engine).HeatmapAsync(DataScope.All, Light("red"), 2025, "1-6月", null);
        Assert.Equal([("数量", 0.2m, 1L), ("质量", 0.35m, 3L)],
            regionCells.OrderBy(h => h.IndicatorCategory, StringComparer.Ordinal).Select(h => (h.IndicatorCategory, h.MeanShortfall!.Value, h.IndicatorCount)).ToList());

        // the same queries over the indicators (the warehouse without the pre-summed mart) give the same figures
        await using (var c = await engine.OpenAsync())
            await c.ExecuteAsync(engine.DropRelationSql("mart_department_heatmap_light", isView: false));
        var before = Again(engine);
        Assert.Equal(red, Cells(await new OverviewQueries(before).HeatmapAsync(DataScope.All, Light("red"), 2025, "1-6月")));
        Assert.Equal(Cells(regionCells), Cells(await new RegionQueries(before).HeatmapAsync(DataScope.All, Light("red"), 2025, "1-6月", null)));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_models_declared_indexes_are_made_on_postgres_at_every_rebuild_and_none_on_duckdb(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        // fct_indicator_judgement (incremental: '-- indexes: entity_code', what the view fct_indicator_progress's
        // project_code is) and mart_project_deviation_base (the wide rows of the view mart_project_deviation: '-- indexes:
        // project_code; department_code'); a full refresh makes both tables anew
        var again = await new BudgetPerf.Warehouse.Models.ModelRunner(engine).BuildAsync(
            new BudgetPerf.Warehouse.Models.BuildOptions { ArtifactsDir = _dir.File("target"), FullRefresh = true });
        Assert.True(again.Success);
        await using var c = await engine.OpenAsync();
        if (engineName == "postgres")
        {
            var indexes = (await c.QueryAsync<string>(
                "SELECT tablename || ':' || indexdef FROM pg_indexes WHERE indexname LIKE 'ix_%' ORDER BY 1")).ToList();
            Assert.Contains("fct_indicator_judgement:CREATE INDEX ix_fct_indicator_judgement__entity_code ON public.fct_indicator_judgement USING btree (entity_code)", indexes);
            Assert.Contains("mart_project_deviation_base:CREATE INDEX ix_mart_project_deviation_base__project_code ON public.mart_project_deviation_base USING btree (project_code)", indexes);
            // the view joins a department's rows to their rank by project (the rank's entity index, ModelIndexes.IndexesOf)
            Assert.Contains("mart_project_deviation_rank:CREATE INDEX ix_mart_project_deviation_rank__project_code ON public.mart_project_deviation_rank USING btree (project_code)", indexes);
            // a department's own pages (issue 15: a province's departments read during the deadline week) find its rows
            // of the two largest marts by index, not by scanning every department's (200k and 660k rows at province scale)
            Assert.Contains("mart_project_deviation_base:CREATE INDEX ix_mart_project_deviation_base__department_code ON public.mart_project_deviation_base USING btree (department_code)", indexes);
            Assert.Contains("mart_indicator_correction:CREATE INDEX ix_mart_indicator_correction__department_code ON public.mart_indicator_correction USING btree (department_code)", indexes);
        }
        else
            Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT CAST(COUNT(*) AS BIGINT) FROM duckdb_indexes() WHERE table_name IN ('fct_indicator_judgement', 'mart_project_deviation_base')"));
    }

    public void Dispose() => _dir.Dispose();
}
