using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Models;
using Dapper;
using DuckDB.NET.Data;

namespace BudgetPerf.Tests.Integration;

[Collection(PostgresCollection.Name)]
public sealed class RunnerTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Running_init_again_applies_no_migration(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);

        var first = await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var second = await WarehouseSetup.InitAsync(engine, _dir.File("target"));

        Assert.Contains("0001_etl_audit.sql", first.MigrationsApplied);
        Assert.Empty(second.MigrationsApplied);
    }

    [Fact]
    public async Task Editing_a_model_changes_its_recorded_hash()
    {
        var sql = _dir.CopyOfSql();
        var engine = new DuckDbEngine(_dir.File("w.duckdb"));
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var options = new BuildOptions { SqlRoot = sql, ArtifactsDir = _dir.File("target"), Select = "dim_department" };

        var before = await new ModelRunner(engine).BuildAsync(options);
        await File.AppendAllTextAsync(Path.Combine(sql, "models", "core", "dim_department.sql"), "\n-- edited\n");
        var after = await new ModelRunner(engine).BuildAsync(options);

        var hashBefore = before.Nodes.Single(n => n.Node == "dim_department").SqlSha256;
        var hashAfter = after.Nodes.Single(n => n.Node == "dim_department").SqlSha256;
        Assert.NotNull(hashBefore);
        Assert.NotEqual(hashBefore, hashAfter);
        await using var connection = await engine.OpenAsync();
        var recorded = (await connection.QueryAsync<string>(
            "SELECT DISTINCT sql_sha256 FROM run_results WHERE node = 'dim_department'")).ToList();
        Assert.Equal(2, recorded.Count);
        Assert.True(File.Exists(after.ResultsFile));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_build_records_each_model_and_test_once_under_its_run_id(string engineName)
    {
        // the models' results go into run_results with the build's own commit, the data tests' after it: neither twice
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        await new SubmissionLoader(engine).LoadFileAsync(_dir.Write("f.csv",
            "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,期间执行数\n" +
            "2025,1-6月,P001,示例项目,101,教育局,年度资金总额,100,30\n"));

        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });

        await using var connection = await engine.OpenAsync();
        var recorded = (await connection.QueryAsync<(string Node, string NodeType, long Times)>(
            "SELECT node, node_type, COUNT(*) AS times FROM run_results WHERE run_id = '" + build.RunId + "' GROUP BY node, node_type")).ToList();
        Assert.Equal(build.Nodes.Count, recorded.Count);
        Assert.All(recorded, r => Assert.Equal(1L, r.Times));
        Assert.Contains(recorded, r => r.NodeType == "test");
        Assert.Contains(recorded, r => r.Node == "dim_department" && r.NodeType == "model");
    }

    [Fact]
    public async Task A_failing_data_test_makes_build_exit_1_and_prints_the_failing_rows()
    {
        var sql = _dir.CopyOfSql();
        File.WriteAllText(Path.Combine(sql, "tests", "no_project_named_demo_bad.sql"),
            "select project_code, project_name from {{ ref('dim_project') }} where project_name like '%坏数据%'");
        var db = _dir.File("w.duckdb");
        var engine = new DuckDbEngine(db);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        await new SubmissionLoader(engine).LoadFileAsync(_dir.Write("f.csv",
            "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,期间执行数\n" +
            "2025,1-6月,P001,坏数据项目,101,教育局,年度资金总额,100,30\n"));

        var outcome = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["BUDGETPERF_SQL"] = sql },
            "build", "--db", db);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("no_project_named_demo_bad", outcome.Output);
        Assert.Contains("坏数据项目", outcome.Output);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM test_failures WHERE test_name = 'no_project_named_demo_bad'"));
    }

    [Fact]
    public async Task A_locked_duckdb_file_gives_a_plain_message_and_exit_1()
    {
        var db = _dir.File("locked.duckdb");
        await using var holder = new DuckDBConnection($"Data Source={db}");
        await holder.OpenAsync();

        var outcome = await CliProcess.RunAsync(_dir.Path, null, "init", "--db", db);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("is open in another process (is the dashboard running?)", outcome.Output.Replace("\n", ""));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Rebuilding_one_model_keeps_its_dependents(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });

        // on PostgreSQL, dropping stg_monitoring_fund cascades to its dependent views; the runner restores them
        var partial = await new ModelRunner(engine).BuildAsync(
            new BuildOptions { ArtifactsDir = _dir.File("target"), Select = "stg_monitoring_fund" });

        Assert.True(partial.Success);
        await using var connection = await engine.OpenAsync();
        Assert.NotNull(await engine.RelationTypeAsync(connection, "dim_project"));
        Assert.NotNull(await engine.RelationTypeAsync(connection, "mart_trends"));
    }

    public void Dispose() => _dir.Dispose();
}
