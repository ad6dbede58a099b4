using System.Security.Cryptography;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// The queue's second flaw (issue 15): two identical files queued before one pass. The second is a duplicate of the
/// first's batch, loaded in the same pass; it used to be marked 已生效 at once even when the build then failed for the
/// first. It now follows the original: 已生效 at the same moment, or 失败 with the same reason.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueuedDuplicateTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";

    /// <summary>The same bytes queued twice (two uploads of one file, under two names), before any worker pass.</summary>
    private async Task<(long First, long Second)> QueueTwiceAsync(WarehouseEngine engine)
    {
        await QueueSetup.AddUserAsync(engine, QueueSetup.Admin.UserName);
        var text = HandMade.MonitoringFundHeader + M02;
        return (await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", text, QueueSetup.Admin),
            await QueueSetup.QueueAsync(engine, _dir, "mf2（再次上报）.csv", text, QueueSetup.Admin));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_duplicate_queued_with_its_original_fails_with_the_originals_failed_build(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var (first, second) = await QueueTwiceAsync(engine);
        // a model that fails inside the build's transaction
        var sql = _dir.CopyOfSqlWith("mart_zz_broken", "-- materialized: table\nselect no_such_column from {{ ref('mart_trends') }}");
        var worker = QueueSetup.Worker(engine, _dir, "w", sql);

        var pass = await worker.RunOnceAsync();

        Assert.Equal([first, second], pass.Failed.Order());
        Assert.Empty(pass.Visible);
        var queue = new SubmissionQueue(engine);
        var (a, b) = ((await queue.FindAsync(first))!, (await queue.FindAsync(second))!);
        Assert.Equal((SubmissionState.Failed, SubmissionState.Failed), (a.State, b.State));
        Assert.StartsWith("构建失败，数仓保持构建前的状态：mart_zz_broken: ", b.Error);
        Assert.Equal(a.Error, b.Error);
        Assert.Null(b.VisibleAt);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
        Assert.Equal("build_failed", await connection.ExecuteScalarAsync<string>($"SELECT status FROM etl_batch WHERE batch_id = {a.BatchId}"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_duplicate_queued_with_its_original_becomes_visible_with_it_and_its_rows_load_once(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var (first, second) = await QueueTwiceAsync(engine);

        var pass = await QueueSetup.Worker(engine, _dir, "w").RunOnceAsync();

        Assert.True(pass.Build!.Success);
        Assert.Equal([first, second], pass.Visible.Order());
        var queue = new SubmissionQueue(engine);
        var (a, b) = ((await queue.FindAsync(first))!, (await queue.FindAsync(second))!);
        Assert.Equal((SubmissionState.Visible, SubmissionState.Visible), (a.State, b.State));
        Assert.Equal(a.VisibleAt, b.VisibleAt);   // one build made both visible
        Assert.Equal($"重复文件：与批次 {a.BatchId} 相同，已入库过", b.Error);
        await using var connection = await engine.OpenAsync();
        // M02 once: 100 (M01) + 300 (M02) = 400 万元
        Assert.Equal(400m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M02'"));
    }

    public void Dispose() => _dir.Dispose();
}
