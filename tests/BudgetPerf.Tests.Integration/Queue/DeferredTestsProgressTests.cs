using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15, the worker's deferred data tests under steady uploads: a run stopped by an upload records the tests of every
/// model whose tests finished (under the build they tested) and the next run does only the rest; and once the oldest
/// untested change was put off longer than <see cref="SubmissionWorkerOptions.TestsMaxDelay"/>, the tests no longer give
/// way and are recorded while uploads keep arriving.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeferredTestsProgressTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";

    /// <summary>A test the M02 file violates: one row of dim_project (M02) once it is built.</summary>
    private const string Violated = "zz_no_road_upkeep_project";

    /// <summary>A test of fct_budget_execution (after dim_project in the graph's order) that runs long unless stopped.</summary>
    private const string Slow = "zz_slow_execution_check";

    [SkippableTheory]
    [InlineData("duckdb", false)]
    [InlineData("postgres", false)]
    [InlineData("duckdb", true)]
    [InlineData("postgres", true)]
    public async Task A_stopped_run_records_the_models_whose_tests_finished_and_the_next_run_tests_only_the_rest(string engineName,
        bool restart)
    {
        // given: M01 built; a copy of sql/ where dim_project has a violated test and fct_budget_execution a slow one; M02 queued
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var sql = _dir.CopyOfSql();
        var tests = Path.Combine(sql, "tests");
        File.WriteAllText(Path.Combine(tests, Violated + ".sql"), "select project_code from {{ ref('dim_project') }} where project_code = 'M02'");
        File.WriteAllText(Path.Combine(tests, Slow + ".sql"), SlowSql(engineName, "pg_sleep(600)", "50000000000"));
        var dimProjectTests = ModelProject.Load(sql, engine.Name).Tests.Where(t => t.Refs.Contains("dim_project")).Select(t => t.Name).ToHashSet();
        var text = HandMade.MonitoringFundHeader + M02;
        var first = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", text, QueueSetup.Admin);
        var reported = new List<string>();
        var log = new List<string>();
        SubmissionWorker Worker(string name) => new(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File(name), SqlRoot = sql, TestsPollInterval = TimeSpan.FromMilliseconds(100),
            OnTest = n => { lock (reported) reported.Add(n.Node); },
            Log = line => { lock (log) log.Add(line); },
        });
        var worker = Worker("w");

        // when: the pass builds M02, the deferred run tests dim_project (every test touching it finished) and reaches the
        // slow test; then the same file arrives again (queued by another instance: seen by polling)
        var running = Task.Run(() => worker.RunOnceAsync());
        await WaitUntilAsync(() => { lock (reported) return dimProjectTests.IsSubsetOf(reported); }, TimeSpan.FromSeconds(120));
        await UntilSlowTestRunsAsync(engine);   // dim_project's snapshot closed; the slow test running
        Assert.False(running.IsCompleted, "the slow test still runs");
        var again = QueueSetup.Item(_dir, "again.csv", text);
        var waiting = await new SubmissionQueue(engine).EnqueueAsync("mf2（再次上报）.csv", again.Sha256!,
            await File.ReadAllBytesAsync(again.Path!), "admin", null, 1);
        var pass1 = await running.WaitAsync(TimeSpan.FromSeconds(30));

        // then: the tests that finished are recorded under the build they tested — the violation M02 introduced among
        // them, with its one failing row — the slow one is not, and the record says models are left untested
        Assert.Equal([first], pass1.Visible);
        var build = pass1.Build!.RunId;
        await using var connection = await engine.OpenAsync();
        Assert.Equal(("fail", build), await connection.QuerySingleAsync<(string, string)>(
            $"SELECT status, run_id FROM run_results WHERE node = '{Violated}'"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM test_failures WHERE test_name = '{Violated}' AND failure_count = 1 AND run_id = '{build}'"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM run_results WHERE node = '{Slow}'"));
        Assert.False(await LatestCompleteAsync(connection));
        var recordedFirst = (await connection.QueryAsync<string>(
            $"SELECT node FROM run_results WHERE node_type = 'test' AND run_id = '{build}'")).ToHashSet();
        Assert.Superset(dimProjectTests, recordedFirst);
        lock (log) Assert.Contains(log, l => l.Contains("中止", StringComparison.Ordinal) && l.Contains("已记录", StringComparison.Ordinal));

        // when: the slow test is made quick; the next pass takes the duplicate (no build) and the queue is empty again
        File.WriteAllText(Path.Combine(tests, Slow + ".sql"), "select fiscal_year from {{ ref('fct_budget_execution') }} where 1 = 0");
        lock (reported) reported.Clear();
        if (restart) worker = Worker("w-restarted");   // the first process is gone: what it left untested is not known
        var pass2 = await worker.RunOnceAsync();

        // then: it ran only what was left (no test recorded before ran again), the slow test among it, and finished all;
        // restarted, the record of a stopped run (runner_deferred_tests.complete false) made it test every model again
        Assert.Equal([waiting], pass2.Visible);
        Assert.Null(pass2.Build);
        lock (reported)
        {
            Assert.Contains(Slow, reported);
            if (restart) Assert.Superset(recordedFirst, reported.ToHashSet());
            else Assert.Empty(reported.Intersect(recordedFirst));
        }
        Assert.Equal("pass", await connection.ExecuteScalarAsync<string>($"SELECT MIN(status) FROM run_results WHERE node = '{Slow}' AND run_id = '{build}'"));
        if (!restart)
            Assert.Empty(await connection.QueryAsync<string>(
                "SELECT node FROM run_results WHERE node_type = 'test' GROUP BY node, run_id HAVING COUNT(*) > 1"));
        Assert.True(await LatestCompleteAsync(connection));

        // and a restarted worker knows nothing is left: an empty queue runs no test
        var testRows = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM run_results WHERE node_type = 'test'");
        var restarted = QueueSetup.Worker(engine, _dir, "w2", sql);
        Assert.Equal(0, (await restarted.RunOnceAsync()).Count);
        Assert.Equal(testRows, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM run_results WHERE node_type = 'test'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Under_uploads_that_keep_arriving_the_tests_stop_giving_way_after_the_bound_and_are_recorded(string engineName)
    {
        // given: M01 built; dim_project has a violated test, fct_budget_execution a test of a few seconds (longer than the
        // gap between uploads, so a run that gives way never finishes it); a 3 s bound
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var sql = _dir.CopyOfSql();
        var tests = Path.Combine(sql, "tests");
        File.WriteAllText(Path.Combine(tests, Violated + ".sql"), "select project_code from {{ ref('dim_project') }} where project_code = 'M02'");
        File.WriteAllText(Path.Combine(tests, Slow + ".sql"), SlowSql(engineName, "pg_sleep(3)", "3000000000"));
        var log = new List<string>();
        var worker = new SubmissionWorker(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File("w"), SqlRoot = sql, PollInterval = TimeSpan.FromMilliseconds(100),
            TestsPollInterval = TimeSpan.FromMilliseconds(100), TestsMaxDelay = TimeSpan.FromSeconds(3),
            Log = line => { lock (log) log.Add(line); },
        });
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => worker.RunAsync(stop.Token));

        // when: M02 and then a new file every 300 ms (queued by another instance), until the slow test is recorded (≤ 90 s)
        await using var connection = await engine.OpenAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var queued = 1;
        var lastArrival = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromSeconds(90)
               && await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM run_results WHERE node = '{Slow}'") == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var code = $"N{queued:D3}";
            await QueueSetup.QueueAsync(engine, _dir, code + ".csv",
                HandMade.MonitoringFundHeader + $"2025,1-6月,{code},课后服务补助{queued},101,教育局,年度资金总额,10,,5,\n", QueueSetup.Admin);
            queued++;
            lastArrival = clock.Elapsed;
        }
        var recordedAt = clock.Elapsed;
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(60));

        // then: recorded while uploads still arrived (one queued at most ~1 s before), well within the bound plus one run,
        // with the violation M02 introduced; the log says the tests stopped giving way
        Assert.True(recordedAt < TimeSpan.FromSeconds(90), $"the slow test was not recorded in {recordedAt} ({queued} uploads)");
        Assert.True(recordedAt - lastArrival < TimeSpan.FromSeconds(3), $"uploads stopped at {lastArrival}, recorded at {recordedAt}");
        Assert.True(queued >= 5, $"only {queued} uploads arrived");
        Assert.Equal("pass", await connection.ExecuteScalarAsync<string>($"SELECT MIN(status) FROM run_results WHERE node = '{Slow}'"));
        Assert.Equal("fail", await connection.ExecuteScalarAsync<string>($"SELECT MIN(status) FROM run_results WHERE node = '{Violated}'"));
        lock (log) Assert.Contains(log, l => l.Contains("不再为上报让路", StringComparison.Ordinal) || l.Contains("不再让路", StringComparison.Ordinal));
    }

    /// <summary>A test of fct_budget_execution that takes long: a sleep on PostgreSQL, a sum over a range on DuckDB.</summary>
    private static string SlowSql(string engineName, string sleep, string rows) => engineName == "postgres"
        ? $"select fiscal_year from {{{{ ref('fct_budget_execution') }}}} cross join (select {sleep}::text as p) as pause where pause.p = 'x'"
        : $"select fiscal_year from {{{{ ref('fct_budget_execution') }}}} cross join (select sum(i % 7) as s from range({rows}) as r(i)) as big where s < 0";

    private static async Task<bool> LatestCompleteAsync(System.Data.Common.DbConnection connection) =>
        await connection.ExecuteScalarAsync<bool>("SELECT complete FROM runner_deferred_tests ORDER BY recorded_at DESC LIMIT 1");

    /// <summary>
    /// Until the slow test runs: on PostgreSQL its pg_sleep is seen in pg_stat_activity (the models' tests run one after
    /// another on one connection, so dim_project's snapshot is closed by then); DuckDB shows no running query, so 3 s
    /// (a fixed second raced a loaded machine: a stop between dim_project's last test and its snapshot's end drops it).
    /// </summary>
    private static async Task UntilSlowTestRunsAsync(WarehouseEngine engine)
    {
        if (engine.Name != "postgres")
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            return;
        }
        await using var connection = await engine.OpenAsync();
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(50))
        {
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()") > 0)
                return;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the slow test never ran");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, "timed out");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _dir.Dispose();
}
