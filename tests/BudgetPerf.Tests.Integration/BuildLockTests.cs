using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>Issue 15: one writer (the build lock) and statistics written by the runner and the loader.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BuildLockTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_build_waits_while_another_holder_has_the_build_lock_and_runs_once_it_is_released(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        // a second engine object on the same database stands for a second dashboard instance (its own connections)
        var other = EngineFactory.Create(engineName == "duckdb" ? ((Warehouse.Engines.DuckDb.DuckDbEngine)engine).FilePath
            : ((Warehouse.Engines.Postgres.PostgresEngine)engine).ConnectionString);

        var held = await other.AcquireBuildLockAsync();
        var build = new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        var finishedFirst = await Task.WhenAny(build, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.NotSame(build, finishedFirst); // still waiting for the lock after 3 s
        await held.DisposeAsync();
        var result = await build.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(result.Success, string.Join("\n", result.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Two_builds_asked_at_once_by_two_instances_run_one_after_the_other(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres,
            ("mf.csv", HandMade.MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));
        var other = EngineFactory.Create(engineName == "duckdb" ? ((Warehouse.Engines.DuckDb.DuckDbEngine)engine).FilePath
            : ((Warehouse.Engines.Postgres.PostgresEngine)engine).ConnectionString);
        var events = new System.Collections.Concurrent.ConcurrentQueue<char>();   // 'A' / 'B' per node finished, in order
        Task<BuildResult> Build(WarehouseEngine e, char tag) => Task.Run(() => new ModelRunner(e).BuildAsync(
            new BuildOptions { ArtifactsDir = _dir.File("target-" + tag), OnNode = _ => events.Enqueue(tag) }));

        var results = await Task.WhenAll(Build(engine, 'A'), Build(other, 'B'));

        Assert.All(results, r => Assert.True(r.Success));
        // one after the other: every node of the first build finished before the first node of the second
        var order = new string(events.ToArray());
        var switches = order.Zip(order.Skip(1)).Count(p => p.First != p.Second);
        Assert.True(switches == 1, order);
        Assert.Equal(order.Count(c => c == 'A'), order.Count(c => c == 'B'));
    }

    [SkippableFact]
    public async Task On_postgres_the_loader_and_the_runner_analyze_what_they_write()
    {
        var engine = await HandMade.BuildAsync("postgres", _dir, postgres,
            ("monitoring.csv", HandMade.MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));
        await using var connection = await engine.OpenAsync();
        var analyzed = (await connection.QueryAsync<string>(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")).ToHashSet();
        Assert.Contains("raw_monitoring_fund", analyzed); // after the COPY, by the loader
        Assert.Contains("etl_batch", analyzed);
        Assert.Contains("stg_current_batch", analyzed);   // after CREATE TABLE AS, by the runner
        Assert.Contains("fct_budget_execution", analyzed);
        Assert.Contains("mart_department_ranking", analyzed);
    }

    public void Dispose() => _dir.Dispose();
}
