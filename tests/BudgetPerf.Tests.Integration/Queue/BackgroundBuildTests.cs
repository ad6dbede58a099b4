using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.Postgres;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// The submission queue's passes run beside the dashboard's readers (issue 15: reader p95 during a burst ≤ 2× idle). On
/// PostgreSQL a pass is one process: its session has no parallel workers, while <c>budgetperf build</c> keeps the
/// server's setting (a full build wants every core).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackgroundBuildTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";

    [SkippableFact]
    public async Task A_queue_pass_builds_without_parallel_workers_and_a_synchronous_build_keeps_the_servers_setting()
    {
        var engine = await HandMade.BuildAsync("postgres", _dir, postgres,
            ("mf.csv", HandMade.MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));
        var sql = _dir.CopyOfSql();
        // a model that keeps the setting its build session had
        File.WriteAllText(Path.Combine(sql, "models", "marts", "mart_zz_session.sql"),
            "-- materialized: table\nselect current_setting('max_parallel_workers_per_gather') as workers");
        await using var connection = await engine.OpenAsync();
        var server = await connection.ExecuteScalarAsync<string>("SHOW max_parallel_workers_per_gather");
        Assert.NotEqual(PostgresEngine.BackgroundParallelWorkers.ToString(System.Globalization.CultureInfo.InvariantCulture), server);

        await QueueSetup.AddUserAsync(engine, QueueSetup.Admin.UserName);
        var id = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var pass = await QueueSetup.Worker(engine, _dir, "w", sql).RunOnceAsync();

        Assert.Equal([id], pass.Visible);
        Assert.Equal("0", await connection.ExecuteScalarAsync<string>("SELECT workers FROM mart_zz_session"));
        // the session's setting never leaks into the server's or another connection's
        await using (var other = await engine.OpenAsync())
            Assert.Equal(server, await other.ExecuteScalarAsync<string>("SHOW max_parallel_workers_per_gather"));

        await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target"), SqlRoot = sql, FullRefresh = true });
        Assert.Equal(server, await connection.ExecuteScalarAsync<string>("SELECT workers FROM mart_zz_session"));
    }

    public void Dispose() => _dir.Dispose();
}
