using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// dim_indicator's monitored names come from fct_monitored_indicator_names, the names of each (年度, 期间, 部门) slice kept
/// by slice (issue 15: no grouping of fct_indicator_judgement's ≈3·10⁶ rows in every pass). The sequence's comparison
/// with a full refresh covers both tables after every step; here the two slices the model treats apart: the slice of no
/// department (NULL, deleted by a null-safe delete_where: a project known by its 监控指标 alone), and a department's
/// 监控 of a period withdrawn (the slice's rows gone, none to insert). Last, both tables are compared with a direct distinct over their sources, which fails
/// where the full refresh and the incremental build would agree on wrong rows (a project's names under the wrong
/// department; a name left out of dim_indicator).
/// </summary>
public sealed partial class IncrementalBuildTests
{
    private const string NamesModel = "fct_monitored_indicator_names";

    private static async Task IndicatorNamesAsync(DemoSlices demo, string heldBack, string monitoringIndicator,
        IReadOnlyList<(long Incremental, long Full)> heldBackBatches, WarehouseEngine incremental,
        Sequence sequence)
    {
        var year = int.Parse(Path.GetFileName(monitoringIndicator)[..4], System.Globalization.CultureInfo.InvariantCulture);
        const string period = "1-6月";

        // step 18: a project no 项目信息 and no 监控资金 row names (dim_project: no department) reports one indicator of a
        // name nobody else uses: its names are the slice of no department
        var rows = demo.Keep(monitoringIndicator, (d, _) => d == heldBack);
        List<string> Orphan(string name) => rows.Rows[0].Select((v, i) => i == rows.Column("项目编码") ? "NODEPT001"
            : i == rows.Column("三级指标") ? name : v).ToList();
        var orphanFirst = await sequence.LoadAsync("no-department/监控指标.csv", (rows with { Rows = [Orphan("无主管部门项目的指标")] }).Text());
        var orphanBuild = await sequence.BuildAndCompareAsync("a project without a department reports its indicators");
        Assert.Equal("incremental: 0 rows deleted, 1 inserted", orphanBuild.Single(n => n.Node == NamesModel).Message);
        Assert.Equal(1, await NamesAsync(incremental, year, period, department: null));
        Assert.Equal(1, await DimensionNamesAsync(incremental, "无主管部门项目的指标"));

        // step 19: the held-back department's 1-6月 监控 (step 2) withdrawn, and the project without a department resubmits
        // its indicator under another name: the held-back department's slice loses every project row of the period, so
        // the delete takes its names and nothing is inserted for it; the slice of no department is deleted (a NULL
        // department matched) and written again with the new name; the old name, used by that project alone, leaves
        // dim_indicator
        var before = await NamesAsync(incremental, year, period, heldBack);
        Assert.True(before > 0, $"the held-back department's {year} {period} slice holds names");
        await sequence.WithdrawAsync(heldBackBatches);
        var orphanAgain = await sequence.LoadAsync("no-department-again/监控指标.csv", (rows with { Rows = [Orphan("无主管部门项目的新指标")] }).Text());
        var withdrawn = await sequence.BuildAndCompareAsync("a department's 监控 of a period withdrawn");
        var (deleted, inserted) = Incremental(withdrawn, NamesModel);
        // the held-back slice's rows deleted; the slice of no department's one row deleted and one inserted (and, written
        // again unchanged, those of any other slice a moved project touches)
        Assert.Equal(before, deleted - inserted);
        Assert.Equal(0, await NamesAsync(incremental, year, period, heldBack));
        Assert.Equal(1, await NamesAsync(incremental, year, period, department: null));
        Assert.Equal(0, await DimensionNamesAsync(incremental, "无主管部门项目的指标"));
        Assert.Equal(1, await DimensionNamesAsync(incremental, "无主管部门项目的新指标"));

        await AssertNamesEqualTheirSourcesAsync(incremental);

        // step 26: the project without a department withdraws both its batches: dim_project drops it, so build_slice lists
        // it in the slice of no department itself (the slices' projects come from dim_project); before, its indicators
        // stayed in fct_indicator_judgement and fct_indicator_progress of the incremental warehouse
        await sequence.WithdrawAsync([orphanFirst, orphanAgain]);
        var gone = await sequence.BuildAndCompareAsync("a project known by its 监控指标 alone withdraws every batch");
        Assert.Equal("incremental: 1 rows deleted, 0 inserted", gone.Single(n => n.Node == "fct_indicator_judgement").Message);
        await using (var connection = await incremental.OpenAsync())
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM dim_project WHERE project_code = 'NODEPT001'"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM fct_indicator_progress WHERE project_code = 'NODEPT001'"));
        }
        Assert.Equal(0, await NamesAsync(incremental, year, period, department: null));
    }

    /// <summary>
    /// fct_monitored_indicator_names equals the distinct (年度, 期间, 部门, names) of fct_indicator_judgement's project rows
    /// with dim_project's department, and dim_indicator equals its own SQL with the monitored names read straight from
    /// fct_indicator_judgement's project rows (what dim_indicator grouped before the names table), row for row.
    /// </summary>
    private static async Task AssertNamesEqualTheirSourcesAsync(WarehouseEngine engine)
    {
        const string direct = """
            SELECT DISTINCT judgement.fiscal_year, judgement.period, project.department_code,
                judgement.level1, judgement.level2, judgement.level3
            FROM fct_indicator_judgement AS judgement
            LEFT JOIN dim_project AS project ON judgement.entity_code = project.project_code
            WHERE judgement.entity_kind = 'project'
            """;
        const string columns = "fiscal_year, period, department_code, level1, level2, level3";
        const string judged = "(SELECT level1, level2, level3 FROM fct_indicator_judgement WHERE entity_kind = 'project')";
        var dimension = ModelProject.Load(SqlAssets.Root, engine.Name).Graph["dim_indicator"].Render(false, name => name == NamesModel ? judged : name);
        Assert.Contains(judged, dimension);
        await using var connection = await engine.OpenAsync();
        async Task<long> CountAsync(string sql) => Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM ({sql}) AS counted"));

        var monitored = await CountAsync("SELECT DISTINCT level1, level2, level3 FROM fct_indicator_judgement WHERE entity_kind = 'project'");
        Assert.True(monitored > 1, $"{monitored} monitored indicator names");
        Assert.True(await CountAsync($"SELECT DISTINCT fiscal_year, period, department_code FROM {NamesModel}") > 1, "names of more than one slice");
        Assert.Equal((0L, 0L), (
            await CountAsync($"SELECT {columns} FROM ({direct}) AS direct EXCEPT ALL SELECT {columns} FROM {NamesModel}"),
            await CountAsync($"SELECT {columns} FROM {NamesModel} EXCEPT ALL SELECT {columns} FROM ({direct}) AS direct")));
        Assert.Equal((0L, 0L), (
            await CountAsync($"SELECT * FROM ({dimension}) AS direct EXCEPT ALL SELECT * FROM dim_indicator"),
            await CountAsync($"SELECT * FROM dim_indicator EXCEPT ALL SELECT * FROM ({dimension}) AS direct")));
        Assert.True(await CountAsync("SELECT * FROM dim_indicator") >= monitored);
    }

    private static async Task<long> NamesAsync(WarehouseEngine engine, int year, string period, string? department)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync(engine.Sql(
            $"SELECT COUNT(*) FROM {NamesModel} WHERE fiscal_year = @year AND period = @period AND "
            + (department is null ? "department_code IS NULL" : "department_code = @department")),
            new { year, period, department }));
    }

    private static async Task<long> DimensionNamesAsync(WarehouseEngine engine, string level3)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync(engine.Sql("SELECT COUNT(*) FROM dim_indicator WHERE level3 = @level3"),
            new { level3 }));
    }
}
