using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using Dapper;
using Npgsql;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15, review of the pass load: a file whose own append fails for the moment (here PostgreSQL's lock timeout,
/// SQLSTATE 55P03, while another session holds the landing table) goes back to 排队中 and loads in a later pass; one that
/// fails so on every attempt is 失败 after <see cref="SubmissionWorkerOptions.MaxAttempts"/> takings, so it cannot hold the
/// queue. (A failure that repeats by its nature, a unique index the file breaks, is 失败 at once: <see cref="PassLoadTests"/>.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TransientAppendTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";
    private const string M03 = "2025,1-6月,M03,基层医疗补助,103,卫健委,年度资金总额,200,,20,\n";

    [SkippableFact]
    public async Task Files_whose_append_times_out_on_a_held_lock_wait_in_the_queue_and_load_in_the_next_pass()
    {
        var engine = (PostgresEngine)await QueueSetup.HandMadeWithAdminAsync("postgres", _dir, postgres,
            ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var m02 = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var m03 = await QueueSetup.QueueAsync(engine, _dir, "mf3.csv", HandMade.MonitoringFundHeader + M03, QueueSetup.Admin);

        WorkerPass first;
        await using (var holder = await HoldLandingTableAsync(engine))
            first = await new SubmissionWorker(Impatient(engine), new SubmissionWorkerOptions { WorkDir = _dir.File("w") }).RunOnceAsync();

        Assert.Equal([m02, m03], first.Retried.Order());
        Assert.Empty(first.Visible);
        Assert.Empty(first.Failed);
        Assert.Null(first.Build);   // nothing loaded, nothing built
        var waiting = (await new SubmissionQueue(engine).FindAsync(m02))!;
        Assert.Equal(SubmissionState.Queued, waiting.State);
        Assert.StartsWith("第 1 次入库暂时性失败，稍后重试：mf2.csv：", waiting.Error);
        Assert.Contains("55P03", waiting.Error);

        var second = await QueueSetup.Worker(engine, _dir, "w2").RunOnceAsync();

        Assert.True(second.Build!.Success);
        Assert.Equal([m02, m03], second.Visible.Order());
        Assert.Empty(second.Retried);
        await using var connection = await engine.OpenAsync();
        // each once: 100 (M01) + 300 (M02) + 200 (M03) = 600 万元
        Assert.Equal(600m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M02'"));
    }

    [SkippableFact]
    public async Task A_file_whose_append_fails_for_the_moment_on_every_attempt_is_failed_after_the_last_attempt()
    {
        var engine = (PostgresEngine)await QueueSetup.HandMadeWithAdminAsync("postgres", _dir, postgres,
            ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var m02 = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var worker = new SubmissionWorker(Impatient(engine), new SubmissionWorkerOptions { WorkDir = _dir.File("w"), MaxAttempts = 2 });

        await using (var holder = await HoldLandingTableAsync(engine))
        {
            Assert.Equal([m02], (await worker.RunOnceAsync()).Retried);    // taken the 1st time of 2: back to 排队中
            var last = await worker.RunOnceAsync();                          // the 2nd: 失败
            Assert.Equal([m02], last.Failed);
            Assert.Empty(last.Retried);
        }

        var failed = (await new SubmissionQueue(engine).FindAsync(m02))!;
        Assert.Equal(SubmissionState.Failed, failed.State);
        Assert.StartsWith("入库失败：mf2.csv：第 2 次仍暂时性失败，不再重试：", failed.Error);
        Assert.Same(WorkerPass.Idle, await worker.RunOnceAsync());   // the queue is empty: nothing left to take
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M02'"));
    }

    /// <summary>The same database, its sessions giving up on a lock after 300 ms (SQLSTATE 55P03) instead of waiting.</summary>
    private static PostgresEngine Impatient(PostgresEngine engine) =>
        new(new NpgsqlConnectionStringBuilder(engine.ConnectionString) { Options = "-c lock_timeout=300" }.ConnectionString);

    /// <summary>
    /// Another session's SHARE lock on raw_monitoring_fund, held until disposed: reads go on (the pass validates, reads the
    /// queue), an append waits for it (COPY takes ROW EXCLUSIVE).
    /// </summary>
    private static async Task<NpgsqlConnection> HoldLandingTableAsync(PostgresEngine engine)
    {
        // its own session (no pool): closing it ends the session, and the lock with it
        var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(engine.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await holder.ExecuteAsync("BEGIN; LOCK TABLE raw_monitoring_fund IN SHARE MODE");
        return holder;
    }
}
