using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>Issue 15: a build is one transaction, so readers never see the marts half-built.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BuildAtomicityTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_model_failing_late_in_a_build_leaves_every_model_as_it_was_before_the_build(string engineName)
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync(engineName, _dir, postgres);
        // a model that fails after every real model has been rebuilt (its name sorts last among the marts)
        var sql = _dir.CopyOfSqlWith("mart_zz_broken", "-- materialized: table\nselect no_such_column from {{ ref('mart_trends') }}");

        var broken = await new ModelRunner(engine).BuildAsync(new BuildOptions { SqlRoot = sql, ArtifactsDir = _dir.File("target") });

        Assert.False(broken.Success);
        Assert.Equal("error", broken.Nodes.Single(n => n.Node == "mart_zz_broken").Status);
        Assert.Equal("skipped", broken.Nodes.Single(n => n.Node == "dim_project").Status);
        await using (var connection = await engine.OpenAsync())
        {
            // M02 was loaded but its build was rolled back: only M01 (budget 100) anywhere
            Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
            Assert.Equal(100m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_project_deviation"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'mart_zz_broken'"));
        }

        var fixedBuild = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(fixedBuild.Success);
        await using var after = await engine.OpenAsync();
        Assert.Equal(["M01", "M02"], await after.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
    }

    /// <summary>
    /// A model whose session the server ends (here the model ends it itself; in the deadline week's runs, a full disk):
    /// the build reports that model's own error, records it in run_results on a fresh connection, and leaves the marts
    /// as they were — not "Connection is not open" from recording the results on the broken one.
    /// </summary>
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)] // staged, on the build's own session
    public async Task A_build_whose_connection_the_server_ends_reports_the_models_own_error_and_records_it(bool fullRefresh)
    {
        var engine = await HandMade.TwoProjectsOneBuiltAsync("postgres", _dir, postgres);
        var sql = _dir.CopyOfSqlWith("mart_zz_broken",
            "-- materialized: table\nselect pg_terminate_backend(pg_backend_pid()) as ended from {{ ref('mart_trends') }}");

        var broken = await new ModelRunner(engine).BuildAsync(new BuildOptions
            { SqlRoot = sql, ArtifactsDir = _dir.File("target"), FullRefresh = fullRefresh, BuildSessions = 1 });

        Assert.False(broken.Success);
        var node = broken.Nodes.Single(n => n.Node == "mart_zz_broken");
        Assert.Equal("error", node.Status);
        Assert.Contains("terminating connection", node.Message);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
        Assert.Contains("terminating connection", await connection.ExecuteScalarAsync<string>(
            "SELECT message FROM run_results WHERE run_id = @RunId AND node = 'mart_zz_broken'", new { broken.RunId }));
    }

    public void Dispose() => _dir.Dispose();
}
