using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// Issue 15, 大范围变更: a whole build whose changed batches touch the slices of half the projects or more runs as a full
/// refresh (<see cref="WideChange"/>), a narrower one incrementally; below the least number of touched projects (a
/// county's warehouse) it stays incremental whatever the share. Four projects in four departments, the least lowered to 1.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WideChangeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private static string Fund(int i) => $"2025,1-6月,M0{i},项目{i},10{i},部门{i},年度资金总额,100,,{10 * i},\n";

    /// <summary>M01–M04 in departments 101–104, each with one 监控 indicator whose 期间执行情况 is 40.</summary>
    internal static readonly (string Name, string Csv)[] FourDepartments =
    [
        ("mf.csv", HandMade.MonitoringFundHeader + string.Concat(Enumerable.Range(1, 4).Select(Fund))),
        ("mi.csv", Indicators(40, 1, 2, 3, 4)),
    ];

    /// <summary>A 监控指标 file of the given projects' one indicator, with <paramref name="actual"/> as 期间执行情况.</summary>
    internal static string Indicators(int actual, params int[] projects) =>
        HandMade.MonitoringHeader + string.Concat(projects.Select(i => $"2025,1-6月,M0{i},产出指标,数量指标,培训人次,≥,100,人次,50,{actual},确定能\n"));

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_change_touching_most_projects_is_built_as_a_full_refresh_and_a_narrow_one_incrementally(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, FourDepartments);

        // one project of four (its department's slice: a quarter of the projects): incremental
        await UploadAsync(engine, "one.csv", 45, 1);
        var narrow = await BuildAsync(engine, leastProjects: 1);
        Assert.Null(narrow.FullRefreshReason);
        Assert.StartsWith("incremental:", Mode(narrow, "fct_indicator_judgement"));

        // three of four: a full refresh, said why, and its figures in the marts
        await UploadAsync(engine, "three.csv", 77, 2, 3, 4);
        var wide = await BuildAsync(engine, leastProjects: 1);
        Assert.NotNull(wide.FullRefreshReason);
        Assert.Contains("3 / 4", wide.FullRefreshReason);
        Assert.Equal("full: --full-refresh", Mode(wide, "fct_indicator_judgement"));
        await using (var connection = await engine.OpenAsync())
        {
            Assert.Equal([45m, 77m, 77m, 77m], await connection.QueryAsync<decimal>(
                "SELECT period_actual FROM fct_indicator_progress WHERE fiscal_year = 2025 ORDER BY project_code"));
            // the full refresh recorded its rows, which the next build's width check reads
            Assert.Equal(4L, await connection.ExecuteScalarAsync<long?>("SELECT row_count FROM runner_model_state WHERE model_name = 'dim_project'"));
        }

        // the same width on a warehouse of fewer projects than the least (the default, 10,000): incremental
        await UploadAsync(engine, "three-again.csv", 88, 2, 3, 4);
        var county = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(county.Success);
        Assert.Null(county.FullRefreshReason);
        Assert.StartsWith("incremental:", Mode(county, "fct_indicator_judgement"));
    }

    private async Task UploadAsync(WarehouseEngine engine, string name, int actual, params int[] projects)
    {
        var result = await new SubmissionLoader(engine).LoadFileAsync(_dir.Write(name, Indicators(actual, projects)));
        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
    }

    private async Task<BuildResult> BuildAsync(WarehouseEngine engine, long leastProjects)
    {
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target"), FullRefreshMinProjects = leastProjects });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        return build;
    }

    private static string? Mode(BuildResult build, string model) => build.Nodes.Single(n => n.Node == model).Message;

    public void Dispose() => _dir.Dispose();
}
