using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15, the worker's data tests: a pass whose commit finds submissions still waiting puts its data tests off (they
/// never gated visibility, but held the next pass back); the pass that leaves the queue empty runs the tests of every
/// model changed since the last tested build — and a worker that restarted, not knowing what was put off, tests all.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeferredDataTestsTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";

    /// <summary>A test the M02 file violates: one row of dim_project (M02) once it is built.</summary>
    private const string Violated = "zz_no_road_upkeep_project";

    [SkippableTheory]
    [InlineData("duckdb", false)]
    [InlineData("duckdb", true)]
    [InlineData("postgres", false)]
    [InlineData("postgres", true)]
    public async Task Tests_put_off_while_submissions_wait_run_when_the_queue_empties_and_catch_the_violation_introduced_earlier(
        string engineName, bool restart)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var sql = _dir.CopyOfSql();
        File.WriteAllText(Path.Combine(sql, "tests", Violated + ".sql"),
            "select project_code from {{ ref('dim_project') }} where project_code = 'M02'");
        await QueueSetup.AddUserAsync(engine, QueueSetup.Admin.UserName);
        var text = HandMade.MonitoringFundHeader + M02;
        var first = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", text, QueueSetup.Admin);
        long? waiting = null;
        // while pass 1 builds, the same bytes arrive again (accepted before pass 1's load committed): it waits in the queue
        var again = QueueSetup.Item(_dir, "again.csv", text);
        var worker = Worker(engine, sql, "w1", async () => waiting ??= await new SubmissionQueue(engine).EnqueueAsync(
            "mf2（再次上报）.csv", again.Sha256!, await File.ReadAllBytesAsync(again.Path!), "admin", null, 1));

        var pass1 = await worker.RunOnceAsync();

        Assert.Equal([first], pass1.Visible);
        Assert.NotNull(waiting);
        Assert.Contains("dim_project", pass1.Build!.DeferredTests!);
        Assert.DoesNotContain(pass1.Build.Nodes, n => n.NodeType == "test");
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await TestRowsAsync(connection, Violated));   // put off: not run, not recorded

        // pass 2 takes the duplicate (no build), leaves the queue empty and runs the tests put off by pass 1
        if (restart) worker = Worker(engine, sql, "w2", null);   // the first process is gone
        var pass2 = await worker.RunOnceAsync();

        Assert.Equal([waiting!.Value], pass2.Visible);
        Assert.Null(pass2.Build);
        Assert.Equal("fail", await connection.ExecuteScalarAsync<string>(
            $"SELECT status FROM run_results WHERE node = '{Violated}'"));
        // the failing row itself: dim_project's one M02 row
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM test_failures WHERE test_name = '{Violated}' AND failure_count = 1"));
        // every other test of dim_project ran with it (tests of a model put off are all run, not only the failing one)
        Assert.True(await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM run_results WHERE node_type = 'test' AND node LIKE '%dim_project%' AND node <> '{Violated}'") > 0);

        // nothing put off any more: an empty queue runs no test again
        Assert.Equal(0, (await worker.RunOnceAsync()).Count);
        Assert.Equal(1L, await TestRowsAsync(connection, Violated));
    }

    private static async Task<long> TestRowsAsync(System.Data.Common.DbConnection connection, string test) =>
        await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM run_results WHERE node = '{test}'");

    /// <summary>A worker building the given copy of sql/; <paramref name="duringBuild"/> runs as its build starts.</summary>
    private SubmissionWorker Worker(WarehouseEngine engine, string sql, string name, Func<Task>? duringBuild) =>
        new(engine, new SubmissionWorkerOptions
        {
            WorkDir = _dir.File(name), SqlRoot = sql,
            Build = async (e, options, ct) =>
            {
                if (duringBuild is not null) await duringBuild();
                return await new ModelRunner(e).BuildAsync(options, ct);
            },
        });

    public void Dispose() => _dir.Dispose();
}
