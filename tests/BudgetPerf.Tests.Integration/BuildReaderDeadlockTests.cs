using System.Collections.Concurrent;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, one writer and many readers on PostgreSQL: a build replacing tables never deadlocks with the dashboard's
/// readers, whose queries read several marts and lock them one after another as they plan.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BuildReaderDeadlockTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>
    /// Each query names a model the build replaces late (the marts) before one it replaces early (the dims, a staging
    /// view): a query planned while the build holds the early one holds the late one and waits, the order that closed
    /// the cycle (build waits for the mart, reader for the dim) before the build took its locks in one step.
    /// </summary>
    private static readonly string[] ReaderQueries =
    [
        """
        SELECT (SELECT COUNT(*) FROM mart_project_deviation) + (SELECT COUNT(*) FROM mart_trends)
             + (SELECT COUNT(*) FROM dim_project) + (SELECT COUNT(*) FROM dim_department)
        """,
        """
        SELECT (SELECT COUNT(*) FROM mart_trends) + (SELECT COUNT(*) FROM fct_budget_execution)
             + (SELECT COUNT(*) FROM stg_monitoring_fund) + (SELECT COUNT(*) FROM dim_project)
        """,
        """
        SELECT COUNT(*) FROM mart_project_deviation m JOIN dim_project p ON p.project_code = m.project_code
        """,
    ];

    [SkippableFact]
    public async Task Builds_replacing_tables_while_readers_query_several_marts_in_a_loop_never_deadlock_and_need_no_retry()
    {
        var engine = await HandMade.BuildAsync("postgres", _dir, postgres,
            ("mf.csv", HandMade.MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));
        var readerErrors = new ConcurrentBag<string>();
        var queries = 0;
        using var stop = new CancellationTokenSource();
        // given: six readers, each looping over the multi-mart queries on its own connection
        var readers = Enumerable.Range(0, 6).Select(r => Task.Run(async () =>
        {
            for (var i = r; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await using var connection = await engine.OpenAsync();
                    await connection.ExecuteScalarAsync<long>(ReaderQueries[i % ReaderQueries.Length], commandTimeout: 120);
                    Interlocked.Increment(ref queries);
                }
                catch (Exception ex)
                {
                    readerErrors.Add(ex.Message);
                }
            }
        })).ToArray();

        // when: four uploads, each followed by a build that replaces the dims and the marts under the readers
        var builds = new List<BuildResult>();
        for (var n = 2; n <= 5; n++)
        {
            var load = await new SubmissionLoader(engine).LoadFileAsync(_dir.Write($"mf{n}.csv", HandMade.MonitoringFundHeader
                + $"2025,1-6月,M0{n},项目{n},10{n},部门{n},年度资金总额,{n * 100},,{n * 10},\n"));
            Assert.Equal(LoadStatus.Loaded, load.Status);
            builds.Add(await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") }));
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        // then: every build succeeded the first time (nothing for a retry to do), no reader failed, and the readers
        // really ran during the builds
        foreach (var build in builds)
            Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        Assert.Empty(readerErrors);
        Assert.True(queries >= 20, $"only {queries} reader queries ran");
        await using var after = await engine.OpenAsync();
        // M01…M05: one project per upload, the last build's rows visible
        Assert.Equal(5L, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dim_project"));
    }

    [SkippableFact]
    public async Task A_build_waits_out_a_reader_holding_a_mart_for_seconds_and_commits_after_it()
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync("postgres", _dir, postgres);
        // given: a reader holding mart_trends for 3 s (as a streamed export does), far beyond the lock step's timeout
        // (40 % of deadlock_timeout, 400 ms), so the step must queue for the mart rather than retry. (mart_trends is
        // incremental by department but refreshed whole when dim_department changed, as here — M02 brings department
        // 102 —: the build replaces the table; an incremental step changes a mart by DELETE and INSERT, which a reader's
        // ACCESS SHARE lock does not hold back.)
        await using var reader = await engine.OpenAsync();
        await using var readerTx = await reader.BeginTransactionAsync();
        var trends = await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_trends", transaction: readerTx);
        Assert.True(trends > 0);

        var build = new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(build.IsCompleted);   // it cannot replace the mart the reader holds
        // the reader, still in its transaction, reads its mart again: the build, queued, holds nothing it waits for
        Assert.Equal(trends, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_trends", transaction: readerTx));
        await readerTx.CommitAsync();
        var result = await build.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(result.Success, string.Join("\n", result.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        await using var after = await engine.OpenAsync();
        Assert.Equal(2L, await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_project_deviation")); // M01, M02
    }

    public void Dispose() => _dir.Dispose();
}
