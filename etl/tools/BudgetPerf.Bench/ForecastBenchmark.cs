using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Etl.Bench;

/// <summary>
/// The back-test of one year (or of all years with history): the mean absolute error of year-end 执行率 of the
/// forecast and of the naive forecast "全年预计执行数 as stated" (÷ 预算数), over the projects whose form states it
/// (both forecasts exist), and how often the actual fell inside the forecast's 80% interval.
/// </summary>
/// <param name="Projects">Projects with a known year end.</param>
/// <param name="Compared">Of them, those whose form states 全年预计执行数 (the MAEs are over these).</param>
/// <param name="WithHistory">Projects forecast from earlier years (method other than 'no_history').</param>
/// <param name="ModelMaeAll">The forecast's MAE over every project, stated or not.</param>
/// <param name="Coverage">Share of projects with an interval whose actual lies within it; null when none has one.</param>
public sealed record ForecastBacktest(
    string Label, int Projects, int Compared, int WithHistory, decimal ModelMae, decimal NaiveMae, decimal ModelMaeAll,
    int WithInterval, double? Coverage)
{
    public bool ModelBeatsNaive => Compared > 0 && ModelMae < NaiveMae;
}

/// <summary>The back-test by year and over the years that had history.</summary>
public sealed record ForecastBenchResult(IReadOnlyList<ForecastBacktest> Years, ForecastBacktest? WithHistory);

/// <summary>
/// <c>bench forecast</c> (issue 17 item 3): back-tests 年末执行预测 on the earlier years of a warehouse (the demo's).
/// Each year's forecast in <c>mart_execution_forecast</c> was made from that year's mid-year monitoring and the years
/// before it only (fct_forecast_history keeps history years &lt; the forecast year), so comparing it with the year's
/// actual year-end 执行率 (自评) is an honest back-test; the naive forecast is the form's 全年预计执行数 ÷ 预算数.
/// </summary>
public static class ForecastBenchmark
{
    public static async Task<ForecastBenchResult> RunAsync(WarehouseEngine engine, CancellationToken ct = default)
    {
        var rows = await new ForecastQueries(engine).BacktestRowsAsync(ct);
        var years = rows.GroupBy(r => r.FiscalYear).OrderBy(g => g.Key)
            .Select(g => Score($"{g.Key}", g.ToList())).ToList();
        var historyYears = rows.GroupBy(r => r.FiscalYear).Where(g => g.Any(r => r.Method != "no_history")).SelectMany(g => g).ToList();
        return new ForecastBenchResult(years, historyYears.Count == 0 ? null : Score("有往年数据的年度", historyYears));
    }

    /// <summary>MAEs (4 decimals) and coverage of a set of back-test rows.</summary>
    public static ForecastBacktest Score(string label, IReadOnlyList<ExecutionForecastRow> rows)
    {
        var compared = rows.Where(r => r.StatedRate is not null && r.ActualRate is not null).ToList();
        var withInterval = rows.Where(r => r.ForecastLow is not null && r.ForecastHigh is not null && r.ActualRate is not null).ToList();
        static decimal Mae(IEnumerable<decimal> errors)
        {
            var list = errors.ToList();
            return list.Count == 0 ? 0m : Math.Round(list.Sum() / list.Count, 4, MidpointRounding.AwayFromZero);
        }
        return new ForecastBacktest(
            label,
            rows.Count,
            compared.Count,
            rows.Count(r => r.Method != "no_history"),
            Mae(compared.Select(r => Math.Abs(r.ForecastRate - r.ActualRate!.Value))),
            Mae(compared.Select(r => Math.Abs(r.StatedRate!.Value - r.ActualRate!.Value))),
            Mae(rows.Where(r => r.ActualRate is not null).Select(r => Math.Abs(r.ForecastRate - r.ActualRate!.Value))),
            withInterval.Count,
            withInterval.Count == 0 ? null
                : withInterval.Count(r => r.ForecastLow <= r.ActualRate && r.ActualRate <= r.ForecastHigh) / (double)withInterval.Count);
    }
}
