using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Incremental;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15, 大范围变更 through the submission queue: a file touching most projects is built by the worker's pass as a full
/// refresh (on DuckDB the staged build, under the pass's lock, its checkpoint and data tests put off), becomes visible, its
/// put-off tests pass once the queue is empty, and the next narrow upload is built incrementally from there.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueuedWideChangeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_queued_file_touching_most_projects_is_built_in_full_made_visible_and_tested(string engineName)
    {
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, WideChangeTests.FourDepartments);
        var logged = new List<string>();
        var worker = new Etl.Queue.SubmissionWorker(engine, new Etl.Queue.SubmissionWorkerOptions
        {
            WorkDir = _dir.File("worker"), Log = line => { lock (logged) logged.Add(line); },
            // four projects: the least number of touched projects lowered from a province's 10,000
            Build = (e, options, ct) => new ModelRunner(e).BuildAsync(options with { FullRefreshMinProjects = 1 }, ct),
        });

        await using var connection = await engine.OpenAsync();
        const string DimProjectTests = "SELECT COUNT(*) FROM run_results WHERE node_type = 'test' AND node LIKE '%dim_project%'";
        var testedBefore = await connection.ExecuteScalarAsync<long>(DimProjectTests);
        var wide = await QueueSetup.QueueAsync(engine, _dir, "three.csv", WideChangeTests.Indicators(77, 2, 3, 4), QueueSetup.Admin);
        var pass = await worker.RunOnceAsync();   // the pass, then (the queue empty) the tests it put off

        Assert.Equal([wide], pass.Visible);
        Assert.Contains("3 / 4", pass.Build!.FullRefreshReason);
        Assert.Contains(logged, line => line == pass.Build.FullRefreshReason);
        Assert.Equal("full: --full-refresh", pass.Build.Nodes.Single(n => n.Node == "fct_indicator_judgement").Message);
        Assert.Contains("dim_project", pass.Build.DeferredTests!);
        Assert.Equal([40m, 77m, 77m, 77m], await connection.QueryAsync<decimal>(
            "SELECT period_actual FROM fct_indicator_progress ORDER BY project_code"));

        // the queue was empty after it: the put-off tests ran, and passed; nothing is left to test
        Assert.True(await connection.ExecuteScalarAsync<long>(DimProjectTests) > testedBefore);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM test_failures"));
        Assert.Equal(0, (await worker.RunOnceAsync()).Count);

        // one project next: incremental, from the full refresh's watermark
        var narrow = await QueueSetup.QueueAsync(engine, _dir, "one.csv", WideChangeTests.Indicators(45, 1), QueueSetup.Admin);
        var next = await worker.RunOnceAsync();
        Assert.Equal([narrow], next.Visible);
        Assert.Null(next.Build!.FullRefreshReason);
        Assert.StartsWith("incremental:", next.Build.Nodes.Single(n => n.Node == "fct_indicator_judgement").Message);
        Assert.Equal([45m, 77m, 77m, 77m], await connection.QueryAsync<decimal>(
            "SELECT period_actual FROM fct_indicator_progress ORDER BY project_code"));
    }

    public void Dispose() => _dir.Dispose();
}
