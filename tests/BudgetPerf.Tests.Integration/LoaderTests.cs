using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

[Collection(PostgresCollection.Name)]
public sealed class LoaderTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string Header = "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数\n";

    private async Task<WarehouseEngine> InitializedAsync(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        return engine;
    }

    private static async Task<long> CountAsync(WarehouseEngine engine, string sql)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync(sql));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Loading_the_same_file_twice_adds_nothing_the_second_time(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var file = _dir.Write("funds.csv", Header + "2025,1-6月,P001,项目一,101,教育局,年度资金总额,100,,30\n" +
                                                    "2025,1-6月,P002,项目二,101,教育局,年度资金总额,50,,10\n");
        var loader = new SubmissionLoader(engine);

        var first = await loader.LoadFileAsync(file);
        var second = await loader.LoadFileAsync(file);

        Assert.Equal(LoadStatus.Loaded, first.Status);
        Assert.Equal(2, first.Rows);
        Assert.Equal(LoadStatus.Duplicate, second.Status);
        Assert.Equal(first.BatchId, second.BatchId);
        Assert.Equal(2, await CountAsync(engine, "SELECT COUNT(*) FROM raw_monitoring_fund"));
        Assert.Equal(1, await CountAsync(engine, "SELECT COUNT(*) FROM etl_batch"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_large_file_loaded_again_is_a_duplicate_whenever_its_hash_is_known(string engineName)
    {
        // a file large enough that its SHA-256 is still being computed when the second load starts to read it
        var engine = await InitializedAsync(engineName);
        var file = _dir.File("large.csv");
        BudgetPerf.Etl.Bench.EtlBenchmark.WriteFile(file, 200_000);
        var loader = new SubmissionLoader(engine);

        var first = await loader.LoadFileAsync(file, new LoadOptions { WriteErrorsFile = false });
        var second = await loader.LoadFileAsync(file, new LoadOptions { WriteErrorsFile = false });

        Assert.Equal((LoadStatus.Loaded, 200_000L), (first.Status, first.Rows));
        Assert.Equal((LoadStatus.Duplicate, first.BatchId), (second.Status, second.BatchId));
        Assert.Equal(200_000, await CountAsync(engine, "SELECT COUNT(*) FROM raw_monitoring_indicator"));
        Assert.Equal(1, await CountAsync(engine, "SELECT COUNT(*) FROM etl_batch"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_file_with_an_error_in_its_last_row_loads_nothing_and_names_the_cell(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var rows = string.Concat(Enumerable.Range(1, 500).Select(i => $"2025,1-6月,P{i:000},项目{i},101,教育局,年度资金总额,100,,30\n"));
        var file = _dir.Write("bad.csv", Header + rows + "2025,1-6月,P999,项目,101,教育局,年度资金总额,一百,,30\n");

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.Equal(LoadStatus.Rejected, result.Status);
        var error = Assert.Single(result.Issues, i => i.Severity == Etl.Validation.Severity.Error);
        Assert.Equal(502, error.Row);            // header is row 1, so the 501st data row is row 502
        Assert.Equal("年初预算数", error.Column);
        Assert.Equal("一百", error.Value);
        Assert.Equal(0, await CountAsync(engine, "SELECT COUNT(*) FROM raw_monitoring_fund"));
        Assert.Equal(1, await CountAsync(engine, "SELECT COUNT(*) FROM etl_batch WHERE status = 'rejected'"));
        Assert.Equal(1, await CountAsync(engine, "SELECT COUNT(*) FROM load_error WHERE severity = 'error'"));
        Assert.Contains("一百", await File.ReadAllTextAsync(result.ErrorsFile!));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_missing_required_column_rejects_the_file_before_any_row(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var file = _dir.Write("nocol.csv", "年度,期间,项目编码,资金类别,年初预算数\n2025,1-6月,P001,年度资金总额,100\n");

        var result = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { Kind = "monitoring_fund" });

        Assert.Equal(LoadStatus.Rejected, result.Status);
        Assert.Contains(result.Issues, i => i.Message.Contains("期间执行数"));
        Assert.Equal(0, await CountAsync(engine, "SELECT COUNT(*) FROM raw_monitoring_fund"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_resubmission_supersedes_the_earlier_one_while_raw_keeps_both(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var loader = new SubmissionLoader(engine);
        await loader.LoadFileAsync(_dir.Write("v1.csv", Header + "2025,1-6月,P001,项目一,101,教育局,年度资金总额,100,,30\n"));
        await loader.LoadFileAsync(_dir.Write("v2.csv", Header + "2025,1-6月,P001,项目一,101,教育局,年度资金总额,100,,45\n"));

        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });

        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        Assert.Equal(2, await CountAsync(engine, "SELECT COUNT(*) FROM raw_monitoring_fund"));
        Assert.Equal(1, await CountAsync(engine, "SELECT COUNT(*) FROM mart_project_deviation"));
        // 45 / 100 = 0.45 executed; the first submission's 30 is superseded
        await using var connection = await engine.OpenAsync();
        var rate = await connection.ExecuteScalarAsync<decimal>("SELECT execution_rate FROM mart_project_deviation");
        Assert.Equal(0.45m, rate);
    }

    public void Dispose() => _dir.Dispose();
}
