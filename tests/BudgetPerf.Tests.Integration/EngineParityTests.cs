using BudgetPerf.Etl.Demo;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>The same demo (same seed) built on DuckDB and on PostgreSQL must give the same warehouse.</summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class EngineParityTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private sealed record ProjectExecution(int FiscalYear, string Period, string ProjectCode, decimal? Budget,
        decimal? Executed, decimal? ExecutionRate, string? Warning);

    private async Task<(BuildResult Build, IReadOnlyList<LoadResult> Loads)> DemoOnAsync(WarehouseEngine engine, IReadOnlyList<string> files)
    {
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var loader = new SubmissionLoader(engine);
        var loads = new List<LoadResult>();
        foreach (var file in files) loads.Add(await loader.LoadFileAsync(file));
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        return (build, loads);
    }

    private static async Task<List<ProjectExecution>> ExecutionAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<ProjectExecution>("""
            SELECT fiscal_year AS FiscalYear, period AS Period, project_code AS ProjectCode, budget AS Budget,
                   executed AS Executed, execution_rate AS ExecutionRate, warning AS Warning
            FROM mart_project_deviation ORDER BY fiscal_year, period, project_code
            """)).ToList();
    }

    [SkippableFact]
    public async Task The_same_demo_gives_the_same_row_counts_and_execution_rates_on_both_engines()
    {
        postgres.SkipIfUnavailable();
        var files = new DemoGenerator(new DemoOptions { Years = 2, Seed = 7 }).Generate(_dir.File("inbox"));
        var duck = await Engines.FreshAsync("duckdb", _dir, postgres);
        var pg = await Engines.FreshAsync("postgres", _dir, postgres);

        var (duckBuild, duckLoads) = await DemoOnAsync(duck, files);
        var (pgBuild, pgLoads) = await DemoOnAsync(pg, files);

        Assert.All(duckLoads.Concat(pgLoads), l => Assert.Equal(LoadStatus.Loaded, l.Status));
        Assert.True(duckBuild.Success, Failures(duckBuild));
        Assert.True(pgBuild.Success, Failures(pgBuild));
        var duckRows = duckBuild.Nodes.Where(n => n.NodeType != "test").ToDictionary(n => n.Node, n => n.Rows);
        var pgRows = pgBuild.Nodes.Where(n => n.NodeType != "test").ToDictionary(n => n.Node, n => n.Rows);
        Assert.Equal(duckRows.OrderBy(kv => kv.Key), pgRows.OrderBy(kv => kv.Key));
        Assert.True(duckRows["mart_project_deviation_base"] > 2_000, "a two-year county demo has thousands of project-periods (the mart view's stored rows)");

        var duckExecution = await ExecutionAsync(duck);
        var pgExecution = await ExecutionAsync(pg);
        Assert.Equal(duckExecution, pgExecution);
        Assert.Contains(duckExecution, p => p.Warning == "red");

        foreach (var mart in RulesMarts)
        {
            var duckMart = await RowsAsync(duck, mart);
            var pgMart = await RowsAsync(pg, mart);
            Assert.True(duckMart.Count > 0, $"{mart} is empty");
            Assert.Equal(duckMart.Count, pgMart.Count);
            for (var i = 0; i < duckMart.Count; i++)
                Assert.True(duckMart[i] == pgMart[i], $"{mart} differs:\n duckdb   {duckMart[i]}\n postgres {pgMart[i]}");
        }
    }

    private static readonly string[] RulesMarts =
    [
        "fct_indicator_judgement", "fct_indicator_score", "fct_evaluation_grade", "mart_project_deviation",
        "mart_department_heatmap", "mart_department_heatmap_light", "mart_project_grade", "mart_department_grade", "mart_department_ranking",
        "mart_cut_candidates", "mart_trends", "mart_indicator_derivation", "mart_cut_takeback", "mart_overlap_pairs", "dim_department",
        "dim_indicator", "fct_monitored_indicator_names",
    ];

    /// <summary>Every row as text (decimals without trailing zeros), sorted ordinally: the engines' collations differ.</summary>
    private static async Task<List<string>> RowsAsync(WarehouseEngine engine, string relation)
    {
        await using var connection = await engine.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {relation}";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.GetName(i) + "=" + (reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                {
                    decimal d => d.ToString("0.############", System.Globalization.CultureInfo.InvariantCulture),
                    System.Numerics.BigInteger b => b.ToString(),
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
                });
            rows.Add(string.Join("|", cells));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Failures(BuildResult build) =>
        string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}"));

    public void Dispose() => _dir.Dispose();
}
