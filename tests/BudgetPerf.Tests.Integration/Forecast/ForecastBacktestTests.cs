using BudgetPerf.Etl.Bench;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Queries;
using Dapper;

namespace BudgetPerf.Tests.Integration.Forecast;

/// <summary>
/// The back-test of `budgetperf bench forecast` (issue 17 item 3) on the county demo of three years (2024 and 2025
/// with their year end, 2026 at mid-year): 2025 is forecast from 2024's history; the forecast must beat the form's
/// 全年预计执行数 taken as it is, and must not have seen the year end it forecasts.
/// </summary>
public sealed class ForecastBacktestTests : IDisposable
{
    private readonly TempDir _dir = new();

    private async Task<WarehouseEngine> DemoAsync()
    {
        var files = new DemoGenerator(new DemoOptions { Years = 3, Seed = 42 }).Generate(_dir.File("inbox"));
        var engine = new DuckDbEngine(_dir.File("demo.duckdb"));
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var loader = new SubmissionLoader(engine);
        foreach (var file in files) Assert.Equal(LoadStatus.Loaded, (await loader.LoadFileAsync(file)).Status);
        await BuildAsync(engine);
        return engine;
    }

    private async Task BuildAsync(WarehouseEngine engine)
    {
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
    }

    [Fact]
    public async Task The_forecast_beats_the_stated_full_year_forecast_on_the_demo_without_seeing_the_year_end()
    {
        var engine = await DemoAsync();
        var result = await ForecastBenchmark.RunAsync(engine);

        // 2024 has no earlier year: its forecast is the stated figure itself, so the two errors are the same
        var first = Assert.Single(result.Years, y => y.Label == "2024");
        Assert.Equal(0, first.WithHistory);
        Assert.Equal(first.NaiveMae, first.ModelMae);
        // 2025 is forecast from 2024 alone, and it is the only year with history
        var h = Assert.IsType<ForecastBacktest>(result.WithHistory);
        Assert.Equal(result.Years.Single(y => y.Label == "2025").Compared, h.Compared);
        Assert.True(h.Compared > 1000, $"{h.Compared} comparable project-years");
        Assert.True(h.ModelMae < h.NaiveMae, $"model MAE {h.ModelMae} vs naive {h.NaiveMae}");
        Assert.InRange(h.Coverage!.Value, 0.5, 0.95);

        // no look-ahead: without 2025's year end (自评) the 2025 forecasts are the same, row for row
        var before = await ForecastsAsync(engine, 2025);
        await using (var connection = await engine.OpenAsync())
            await connection.ExecuteAsync("DELETE FROM raw_selfeval_fund WHERE fiscal_year = 2025");
        await BuildAsync(engine);
        var after = await ForecastsAsync(engine, 2025);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before, after);
        Assert.DoesNotContain(await new ForecastQueries(engine).BacktestRowsAsync(), r => r.FiscalYear == 2025);
    }

    private static async Task<List<(string, decimal, decimal?, decimal?)>> ForecastsAsync(WarehouseEngine engine, int year)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<(string, decimal, decimal?, decimal?)>(
            "SELECT project_code, forecast_rate, forecast_low, forecast_high FROM mart_execution_forecast WHERE fiscal_year = $year ORDER BY project_code",
            new { year })).ToList();
    }

    public void Dispose() => _dir.Dispose();
}
