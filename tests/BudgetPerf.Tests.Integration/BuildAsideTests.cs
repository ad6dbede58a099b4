using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.Postgres;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, readers during a build on PostgreSQL: the build makes the relations it replaces aside (schema bp_build) and
/// swaps them in at its end, so a reader of the marts waits for the swap and the commit, not for the whole build.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BuildAsideTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableFact]
    public async Task A_reader_queries_the_marts_without_waiting_while_a_build_is_still_building_models()
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync("postgres", _dir, postgres);
        // given: a last model that takes 4 s, built after dim_project, the facts and mart_project_deviation were rebuilt
        var sql = _dir.CopyOfSqlWith("mart_zz_slow",
            "-- materialized: table\nselect count(*) as projects from {{ ref('mart_project_deviation') }}, (select pg_sleep(4)) as slow");

        // when: the build runs, and a reader with a 1 s statement_timeout queries while the slow model is being built
        var build = new ModelRunner(engine).BuildAsync(new BuildOptions { SqlRoot = sql, ArtifactsDir = _dir.File("target") });
        await using var reader = await engine.OpenAsync();
        await WaitForSleepingBuildAsync(reader, build);
        await reader.ExecuteAsync("SET statement_timeout = 1000");

        // then: it reads the marts as they were before the build (M01 only), at once, from the public relations
        Assert.Equal(1L, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_project_deviation"));
        Assert.Equal(1L, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dim_project"));
        Assert.False(build.IsCompleted); // still building the slow model: the reads above did not wait for it
        var result = await build.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(result.Success, string.Join("\n", result.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));

        // and after the commit it reads the new rows (M01, M02) under the same names, and nothing is left aside
        Assert.Equal(2L, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_project_deviation"));
        Assert.Equal(2L, await reader.ExecuteScalarAsync<long>("SELECT projects FROM public.mart_zz_slow"));
        Assert.Equal(0L, await reader.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM pg_class WHERE relnamespace = to_regnamespace(@aside)", new { aside = PostgresBuildSchema.Name }));
    }

    /// <summary>Polls until the build's session runs pg_sleep (the slow model), failing if the build ends first.</summary>
    private static async Task WaitForSleepingBuildAsync(System.Data.Common.DbConnection reader, Task<BuildResult> build)
    {
        for (var i = 0; i < 600; i++)
        {
            if (build.IsCompleted)
            {
                var done = await build;
                Assert.Fail("the build ended before its slow model: " +
                            string.Join("\n", done.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
            }
            if (await reader.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(4)%'") > 0)
                return;
            await Task.Delay(50);
        }
        Assert.Fail("the build never reached its slow model within 30 s");
    }

    public void Dispose() => _dir.Dispose();
}
