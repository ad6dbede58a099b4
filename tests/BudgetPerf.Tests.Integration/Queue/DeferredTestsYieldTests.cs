using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15, the worker's deferred data tests do not hold the queue: they run after the pass, outside the build lock, on
/// one snapshot; a submission that arrives while they run stops them (mid-query), is built without waiting for them, and
/// they run again when the queue is empty — still recording the violation the first build introduced, under the run id of
/// the build they tested.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeferredTestsYieldTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";
    private const string M03 = "2025,1-6月,M03,乡村医生补助,103,卫健委,年度资金总额,80,,20,\n";

    /// <summary>A test the M02 file violates: one row of dim_project (M02) once it is built.</summary>
    private const string Violated = "zz_no_road_upkeep_project";

    /// <summary>A test of dim_project that runs for minutes unless stopped (a sleep on PostgreSQL, a 5e10-row sum on DuckDB).</summary>
    private const string Slow = "zz_slow_project_check";

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_upload_arriving_while_deferred_tests_run_stops_them_and_is_built_without_waiting_and_the_violation_is_recorded_later(
        string engineName)
    {
        // given: a warehouse built with M01, a copy of sql/ with a violated and a slow test of dim_project, M02 queued
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var sql = _dir.CopyOfSql();
        var tests = Path.Combine(sql, "tests");
        File.WriteAllText(Path.Combine(tests, Violated + ".sql"), "select project_code from {{ ref('dim_project') }} where project_code = 'M02'");
        File.WriteAllText(Path.Combine(tests, Slow + ".sql"), engineName == "postgres"
            ? "select project_code from {{ ref('dim_project') }} cross join (select pg_sleep(600)) as pause"
            : "select project_code from {{ ref('dim_project') }} cross join (select sum(i % 7) as s from range(50000000000) as r(i)) as big where s < 0");
        await QueueSetup.AddUserAsync(engine, QueueSetup.Admin.UserName);
        var first = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var passLogged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        var worker = new SubmissionWorker(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File("w"), SqlRoot = sql,
            Log = line =>
            {
                lock (log) log.Add(line);
                if (line.StartsWith("上报队列一轮", StringComparison.Ordinal)) passLogged.TrySetResult();
            },
        });

        // when: the pass builds M02 and, the queue empty, starts the deferred tests (the slow one holds them)
        var running = Task.Run(() => worker.RunOnceAsync());
        await passLogged.Task.WaitAsync(TimeSpan.FromSeconds(120));
        // the pass's line is logged before the deferred run starts (a fixed second was a race on a loaded machine: M03
        // queued before the run's look at the queue, and no run started to be stopped). PostgreSQL: until the run is seen
        // running; DuckDB runs the slow query synchronously inside the call that would hand the run's task back, so it
        // cannot be seen: 3 s
        for (var until = DateTime.UtcNow.AddSeconds(3); worker.DeferredTestsRunning.IsCompleted && DateTime.UtcNow < until;)
            await Task.Delay(20);

        // then: the build lock is free while they run (a build of another instance would not wait for them)
        Assert.False(running.IsCompleted, "the slow data test still runs");
        await using (var free = await engine.AcquireBuildLockAsync().WaitAsync(TimeSpan.FromSeconds(10))) { }

        // when: another file arrives (queued by another instance: the worker sees it by polling the queue)
        var second = await QueueSetup.QueueAsync(engine, _dir, "mf3.csv", HandMade.MonitoringFundHeader + M03, QueueSetup.Admin);
        var stoppedIn = System.Diagnostics.Stopwatch.StartNew();
        var pass1 = await running.WaitAsync(TimeSpan.FromSeconds(30));

        // then: the tests gave way within seconds (the slow test alone runs for minutes) and recorded nothing
        Assert.True(stoppedIn.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {stoppedIn.Elapsed}");
        Assert.Equal([first], pass1.Visible);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM run_results WHERE node IN ('{Violated}', '{Slow}')"));
        lock (log) Assert.Contains(log, l => l.StartsWith("上报队列数据测试", StringComparison.Ordinal) && l.Contains("中止", StringComparison.Ordinal));

        // when: the slow test is made quick, and the next pass takes M03; the queue empty again, the tests run whole
        File.WriteAllText(Path.Combine(tests, Slow + ".sql"), "select project_code from {{ ref('dim_project') }} where 1 = 0");
        var pass2 = await worker.RunOnceAsync();

        // then: M03 visible; the violation M02 introduced (a pass earlier) is recorded, with its one failing row, under the
        // run id of the last build (the one the snapshot saw), as is the quick test's pass
        Assert.Equal([second], pass2.Visible);
        var build = pass2.Build!.RunId;
        Assert.Equal(("fail", build), await connection.QuerySingleAsync<(string, string)>(
            $"SELECT status, run_id FROM run_results WHERE node = '{Violated}'"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM test_failures WHERE test_name = '{Violated}' AND failure_count = 1 AND run_id = '{build}'"));
        Assert.Equal("pass", await connection.ExecuteScalarAsync<string>($"SELECT status FROM run_results WHERE node = '{Slow}'"));
        // nothing put off any more: an idle worker runs no test again
        Assert.Equal(0, (await worker.RunOnceAsync()).Count);
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM run_results WHERE node = '{Violated}'"));
    }

    public void Dispose() => _dir.Dispose();
}
