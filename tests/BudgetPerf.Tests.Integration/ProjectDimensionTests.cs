using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// dim_project registers every project a submission names, those named only by a 纠偏 or 调整 form too (their codes
/// read from stg_current_batch, issue 15), in a full build and in an incremental one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProjectDimensionTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_project_named_only_by_a_correction_or_an_adjustment_is_registered_from_that_submission(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var loader = new SubmissionLoader(engine);
        await HandMade.LoadAsync(loader, _dir, "纠偏.csv", "年度,季度,项目编码,一级指标,二级指标,三级指标,实际完成\n2025,第二季度,C01,产出指标,数量指标,培训人次,60\n");
        var full = await HandMade.BuildModelsAsync(engine, _dir);
        Assert.Equal(["C01"], await RegisteredBySubmissionAsync(engine));

        await HandMade.LoadAsync(loader, _dir, "调整.csv", "年度,项目编码,调整原因及依据,原先申请资金,计划调整后资金\n2025,A01,政策调整,100,80\n");
        var incremental = await HandMade.BuildModelsAsync(engine, _dir);
        Assert.StartsWith("incremental:", incremental.Nodes.Single(n => n.Node == "dim_project").Message);
        Assert.Equal(["A01", "C01"], await RegisteredBySubmissionAsync(engine));
        Assert.True(full.Nodes.Single(n => n.Node == "dim_project").Message?.StartsWith("incremental:") != true, "the first build is whole");
    }

    /// <summary>The projects registered from a submission (no 项目信息 row), each named by its code.</summary>
    private static async Task<List<string>> RegisteredBySubmissionAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<string>("""
            SELECT project_code FROM dim_project
            WHERE registered_from = 'submission' AND project_name = project_code ORDER BY project_code
            """)).ToList();
    }

    public void Dispose() => _dir.Dispose();
}
