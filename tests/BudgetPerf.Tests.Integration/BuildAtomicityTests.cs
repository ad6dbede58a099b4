using BudgetPerf.Etl.Loading;
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
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres,
            ("mf.csv", HandMade.MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));
        var load = await new SubmissionLoader(engine).LoadFileAsync(_dir.Write("mf2.csv",
            HandMade.MonitoringFundHeader + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n"));
        Assert.Equal(LoadStatus.Loaded, load.Status);
        // a model that fails after every real model has been rebuilt (its name sorts last among the marts)
        var sql = _dir.CopyOfSql();
        File.WriteAllText(Path.Combine(sql, "models", "marts", "mart_zz_broken.sql"),
            "-- materialized: table\nselect no_such_column from {{ ref('mart_trends') }}");

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

    public void Dispose() => _dir.Dispose();
}
