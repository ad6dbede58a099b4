using System.Security.Cryptography;
using System.Text;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15 item 2, the submission queue: validated files wait in the database; a worker takes every open one into one
/// load + one build under the build lock; a restart resumes; a failed build leaves the marts as they were.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SubmissionQueueTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly Submitter Admin = QueueSetup.Admin;

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";
    private const string M03 = "2025,1-6月,M03,基层医疗补助,103,卫健委,年度资金总额,200,,20,\n";

    private IntakeItem Item(string name, string text) => QueueSetup.Item(_dir, name, text);

    private async Task<long> QueueAsync(WarehouseEngine engine, string name, string row)
    {
        // the worker loads with the submitter's rights as they are then (SubmitterRights): the account must exist
        await QueueSetup.AddUserAsync(engine, Admin.UserName);
        return await QueueSetup.QueueAsync(engine, _dir, name, HandMade.MonitoringFundHeader + row, Admin);
    }

    private SubmissionWorker Worker(WarehouseEngine engine, string name) => QueueSetup.Worker(engine, _dir, name);

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task After_a_restart_a_new_worker_takes_the_queued_and_the_half_taken_submissions_and_loads_each_once(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        // a worker that ran and was stopped
        using (var stop = new CancellationTokenSource())
        {
            var run = Worker(engine, "w1").RunAsync(stop.Token);
            await stop.CancelAsync();
            await run;
        }
        // M02 was taken by a worker that died after committing its load (入库中, its batch loaded, not built);
        // M03 was queued after that and waits (排队中)
        var m02 = await QueueAsync(engine, "mf2.csv", M02);
        Assert.Equal(m02, Assert.Single(await new SubmissionQueue(engine).ClaimAllAsync()).SubmissionId);
        Assert.Equal(LoadStatus.Loaded, (await new SubmissionLoader(engine).LoadFileAsync(_dir.File("mf2.csv"))).Status);
        var m03 = await QueueAsync(engine, "mf3.csv", M03);
        Assert.Equal(SubmissionState.Loading, (await new SubmissionQueue(engine).FindAsync(m02))!.State);
        Assert.Equal(SubmissionState.Queued, (await new SubmissionQueue(engine).FindAsync(m03))!.State);

        var pass = await Worker(engine, "w2").RunOnceAsync();

        Assert.Equal([m02, m03], pass.Visible.Order());   // both in one pass, one build
        Assert.True(pass.Build!.Success);
        var queue = new SubmissionQueue(engine);
        foreach (var (id, attempts) in new[] { (m02, 2), (m03, 1) })
        {
            var s = (await queue.FindAsync(id))!;
            Assert.Equal((SubmissionState.Visible, attempts), (s.State, s.Attempts));
            Assert.NotNull(s.VisibleAt);
        }
        await using var connection = await engine.OpenAsync();
        // exactly once each: 100 (M01) + 300 (M02) + 200 (M03) = 600 万元, three projects, one M02 batch
        Assert.Equal(600m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal(["M01", "M02", "M03"], await connection.QueryAsync<string>("SELECT project_code FROM mart_project_deviation ORDER BY 1"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M02'"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submission_queue WHERE content IS NOT NULL"));

        Assert.Equal(0, (await Worker(engine, "w3").RunOnceAsync()).Count);   // nothing left
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_failure_inside_the_build_leaves_the_marts_as_they_were_and_marks_the_submission_failed_with_the_reason(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        // a model that fails after every real model was rebuilt in the build's transaction
        var sql = _dir.CopyOfSqlWith("mart_zz_broken", "-- materialized: table\nselect no_such_column from {{ ref('mart_trends') }}");
        var id = await QueueAsync(engine, "mf2.csv", M02);

        var pass = await QueueSetup.Worker(engine, _dir, "w", sql).RunOnceAsync();

        Assert.Equal([id], pass.Failed);
        var s = (await new SubmissionQueue(engine).FindAsync(id))!;
        Assert.Equal(SubmissionState.Failed, s.State);
        Assert.StartsWith("构建失败，数仓保持构建前的状态：mart_zz_broken: mart_zz_broken.sql:", s.Error);
        Assert.Null(s.VisibleAt);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
        Assert.Equal(100m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal("build_failed", await connection.ExecuteScalarAsync<string>($"SELECT status FROM etl_batch WHERE batch_id = {s.BatchId}"));

        // the batch of the failed submission stays out of later builds: figures reported failed never appear
        Assert.True((await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") })).Success);
        Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_file_with_errors_is_rejected_at_once_and_never_queued(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));

        var answer = Assert.Single(await new SubmissionAcceptance(engine, new SubmissionIntake(engine))
            .AcceptAsync([Item("bad.csv", HandMade.MonitoringFundHeader + M02.Replace(",300,", ",三百,"))], Admin));

        Assert.False(answer.Queued);
        Assert.Equal(LoadStatus.Rejected, answer.File.Result.Status);
        Assert.Contains(answer.File.Result.Issues, i => i.Row == 2 && i.Value == "三百");
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submission_queue"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_pass_after_an_empty_queue_gathers_the_files_still_being_queued_and_waits_no_longer_than_its_cap(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        await QueueSetup.AddUserAsync(engine, Admin.UserName);
        // quiet for 3 s: M03, queued while the pass waits, rides it (with GatherQuiet zero the pass takes M02 alone: run, it fails)
        var worker = new SubmissionWorker(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File("w"), GatherQuiet = TimeSpan.FromSeconds(3), GatherMax = TimeSpan.FromSeconds(60),
        });
        var acceptance = new SubmissionAcceptance(engine, new SubmissionIntake(engine)) { Queued = worker.Wake };
        async Task<long> Accept(string name, string row) =>
            Assert.Single(await acceptance.AcceptAsync([Item(name, HandMade.MonitoringFundHeader + row)], Admin)).SubmissionId!.Value;

        var m02 = await Accept("mf2.csv", M02);
        var pass = worker.RunOnceAsync();
        var m03 = await Accept("mf3.csv", M03);

        Assert.Equal([m02, m03], (await pass).Visible.Order());
        Assert.Equal(0, (await worker.RunOnceAsync()).Count);

        // capped: a pass never waits past GatherMax for files that keep arriving (here: one queued a moment ago, quiet an hour)
        var capped = new SubmissionWorker(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File("w2"), GatherQuiet = TimeSpan.FromHours(1), GatherMax = TimeSpan.FromMilliseconds(200),
        });
        var m04 = await QueueAsync(engine, "mf4.csv", "2025,1-6月,M04,乡村道路照明,102,交通局,年度资金总额,80,,40,\n");
        capped.Wake();
        Assert.Equal([m04], (await capped.RunOnceAsync().WaitAsync(TimeSpan.FromMinutes(2))).Visible);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_pass_waits_for_the_files_being_validated_when_it_starts(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        // GatherQuiet zero: only the file in validation holds the pass (without it the pass takes M02 alone: run, it fails)
        var worker = new SubmissionWorker(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File("w"), GatherQuiet = TimeSpan.Zero, GatherMax = TimeSpan.FromSeconds(60),
        });
        var m02 = await QueueAsync(engine, "mf2.csv", M02);
        var validating = worker.Arriving();

        var pass = worker.RunOnceAsync();
        var m03 = await QueueAsync(engine, "mf3.csv", M03);   // the file that was being validated, queued while the pass waits
        validating.Dispose();

        Assert.Equal([m02, m03], (await pass).Visible.Order());
    }

    public void Dispose() => _dir.Dispose();
}
