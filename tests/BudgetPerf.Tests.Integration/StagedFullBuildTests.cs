using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15: a <c>--full-refresh</c> builds every model beside the live ones (DuckDB as <c>name__next</c>, PostgreSQL in
/// bp_build, on several sessions at once), committed as it goes, and swaps the set in with one transaction: readers see
/// the warehouse before or after it, a failure leaves it as it was.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StagedFullBuildTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Relations a staged build left: DuckDB's name__next, PostgreSQL's in bp_build.</summary>
    private const string StagedLeft = """
        SELECT COUNT(*) FROM information_schema.tables
        WHERE table_name LIKE '%\_\_next' ESCAPE '\' OR table_schema = 'bp_build' OR table_name = 'mart_zz_broken'
        """;

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_full_refresh_failing_late_leaves_every_model_and_the_watermark_as_they_were_and_no_staged_table(string engineName)
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync(engineName, _dir, postgres);
        var sql = _dir.CopyOfSqlWith("mart_zz_broken", "-- materialized: table\nselect no_such_column from {{ ref('mart_trends') }}");
        long watermark;
        await using (var before = await engine.OpenAsync())
            watermark = await before.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runner_built_batch");

        var broken = await new ModelRunner(engine).BuildAsync(new BuildOptions
            { SqlRoot = sql, ArtifactsDir = _dir.File("target"), FullRefresh = true });

        Assert.False(broken.Success);
        Assert.Null(broken.CommittedAt);
        Assert.Equal("error", broken.Nodes.Single(n => n.Node == "mart_zz_broken").Status);
        Assert.Equal("skipped", broken.Nodes.Single(n => n.Node == "dim_project").Status);
        await using (var connection = await engine.OpenAsync())
        {
            // M02 was loaded but the full refresh failed: only M01 (budget 100) anywhere
            Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
            Assert.Equal(100m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(StagedLeft));
            // the watermark did not move: the next incremental build still sees M02's batch as changed
            Assert.Equal(watermark, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runner_built_batch"));
        }

        var incremental = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(incremental.Success);
        await using var after = await engine.OpenAsync();
        Assert.Equal(["M01", "M02"], await after.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_reader_during_a_full_refresh_sees_the_models_as_they_were_until_the_swap_and_the_new_ones_after(string engineName)
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync(engineName, _dir, postgres);
        await using var reader = await engine.OpenAsync();
        var seenDuring = new List<string>();
        var result = await new ModelRunner(engine).BuildAsync(new BuildOptions
        {
            ArtifactsDir = _dir.File("target"), FullRefresh = true,
            // after mart_trends (staged and committed as mart_trends__next) the live models are still the old ones
            OnNode = node =>
            {
                if (node.Node == "mart_trends")
                    seenDuring.AddRange(reader.Query<string>("SELECT project_code FROM fct_budget_execution ORDER BY 1"));
            },
        });

        Assert.True(result.Success);
        Assert.NotNull(result.CommittedAt);
        Assert.Equal(["M01"], seenDuring);
        Assert.Equal(["M01", "M02"], await reader.QueryAsync<string>("SELECT project_code FROM fct_budget_execution ORDER BY 1"));
        Assert.Equal(400m, await reader.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution")); // 100 + 300
        Assert.Equal(0L, await reader.ExecuteScalarAsync<long>(StagedLeft));
        // every built node's fingerprint recorded, and the watermark holds both batches
        Assert.Equal(2L, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runner_built_batch"));
        Assert.Equal(0L, await reader.ExecuteScalarAsync<long>(
            engine.Sql("SELECT COUNT(*) FROM run_results WHERE run_id = @run AND status = 'success' AND node_type <> 'test' AND node NOT IN (SELECT model_name FROM runner_model_state) AND node <> 'bi'"),
            new { run = result.RunId }));
    }

    [SkippableFact]
    public async Task A_postgres_full_refresh_builds_independent_models_at_once_and_a_model_only_after_the_models_it_reads()
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync("postgres", _dir, postgres);
        // given: two slow marts that read only dim_project, and one that reads both
        var sql = _dir.CopyOfSql();
        const string slow = "-- materialized: table\nselect count(*) as projects from {{ ref('dim_project') }}, (select pg_sleep(2)) as slow";
        File.WriteAllText(Path.Combine(sql, "models", "marts", "mart_zz_slow_a.sql"), slow);
        File.WriteAllText(Path.Combine(sql, "models", "marts", "mart_zz_slow_b.sql"), slow);
        File.WriteAllText(Path.Combine(sql, "models", "marts", "mart_zz_both.sql"),
            "-- materialized: table\nselect a.projects + b.projects as projects from {{ ref('mart_zz_slow_a') }} as a, {{ ref('mart_zz_slow_b') }} as b");

        await using var reader = await engine.OpenAsync();
        const string autovacuumOff = "SELECT COALESCE(reloptions @> '{autovacuum_enabled=false}', false) FROM pg_class WHERE oid = to_regclass(@table)";
        bool? offWhileStaged = null;
        var result = await new ModelRunner(engine).BuildAsync(new BuildOptions
        {
            SqlRoot = sql, ArtifactsDir = _dir.File("target"), FullRefresh = true, BuildSessions = 3,
            OnNode = node =>
            {
                if (node.Node == "fct_indicator_judgement") // an incremental model's table, staged and committed in bp_build
                    offWhileStaged = reader.ExecuteScalar<bool>(autovacuumOff, new { table = "bp_build.fct_indicator_judgement" });
            },
        });

        Assert.True(result.Success, string.Join("\n", result.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        var (a, b, both) = (Node(result, "mart_zz_slow_a"), Node(result, "mart_zz_slow_b"), Node(result, "mart_zz_both"));
        // then: the two slow marts were built at the same time, on two sessions (one after the other they take 4 s)
        Assert.True(a.StartedAt < Ended(b) && b.StartedAt < Ended(a),
            $"slow_a {a.StartedAt:O} +{a.Seconds} s, slow_b {b.StartedAt:O} +{b.Seconds} s: not at once");
        // and the mart reading both started only after both were built, and counted both projects twice
        Assert.True(both.StartedAt >= Ended(a).AddMilliseconds(-50) && both.StartedAt >= Ended(b).AddMilliseconds(-50),
            $"mart_zz_both started {both.StartedAt:O} before its inputs ended ({Ended(a):O}, {Ended(b):O})");
        Assert.Equal(4L, await reader.ExecuteScalarAsync<long>("SELECT projects FROM mart_zz_both"));
        // autovacuum left the staged tables alone while the build ran, and has the incremental model's table back after it
        Assert.True(offWhileStaged);
        Assert.False(await reader.ExecuteScalarAsync<bool>(autovacuumOff, new { table = "public.fct_indicator_judgement" }));
        Assert.Equal(0L, await reader.ExecuteScalarAsync<long>(StagedLeft));
    }

    private static NodeResult Node(BuildResult result, string name) => result.Nodes.Single(n => n.Node == name);

    private static DateTime Ended(NodeResult node) => node.StartedAt.AddSeconds((double)node.Seconds);

    public void Dispose() => _dir.Dispose();
}
