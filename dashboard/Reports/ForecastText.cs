using System.Globalization;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 年末执行预测 in words (issue 17 item 3), for the ranking column, the project page and the department report. Only
/// formats: every figure is a column of mart_execution_forecast / mart_department_forecast.
/// </summary>
public static class ForecastText
{
    /// <summary>A rate as 72.9%.</summary>
    public static string Percent(decimal? rate) => rate is { } r ? IndicatorSentence.Percent(r) : "—";

    /// <summary>The forecast with its interval: <c>72.9%（65.2%–85.5%）</c>, or the forecast alone when it has none.</summary>
    public static string WithInterval(decimal forecast, decimal? low, decimal? high) =>
        low is { } l && high is { } h ? $"{Percent(forecast)}（{Percent(l)}–{Percent(h)}）" : Percent(forecast);

    public static string WithInterval(ExecutionForecastRow f) => WithInterval(f.ForecastRate, f.ForecastLow, f.ForecastHigh);

    public static string WithInterval(DepartmentForecastRow f) => WithInterval(f.ForecastRate, f.ForecastLow, f.ForecastHigh);

    /// <summary>预计结转 when the forecast is under the threshold, else 正常.</summary>
    public static string Risk(bool atRisk) => atRisk ? "预计结转" : "正常";

    /// <summary>The threshold sentence: 预计年末执行率低于 80.0% 即提示预计结转风险.</summary>
    public static string Rule(decimal? threshold) => $"预计年末执行率低于{Percent(threshold)}即提示预计结转风险";

    /// <summary>How the forecast was computed, with its own figures.</summary>
    public static string Method(ExecutionForecastRow f)
    {
        var promised = f.StatedRate is { } s
            ? $"填报的全年预计执行数（{Money(f.StatedExecution)}万元，{Percent(s)}）"
            : "全额预算（未填报全年预计执行数，按100%计）";
        if (f.Method == "no_history" || f.DeliveryRatio is not { } ratio)
            return $"没有往年年末数据可学：预计年末执行率即{promised}，未给区间。";
        var years = f.FirstHistoryYear == f.LastHistoryYear ? $"{f.FirstHistoryYear}年" : $"{f.FirstHistoryYear}–{f.LastHistoryYear}年";
        var history = f.Method == "department"
            ? $"本部门{years}同期{f.DepartmentPairs}个项目年末兑现了年中所报剩余执行的{Percent(f.DepartmentRatio)}"
              + $"（全部部门{f.AllPairs}个项目为{Percent(f.AllRatio)}），按 {f.DepartmentPairs}÷({f.DepartmentPairs}+收缩系数) = {Number(f.DepartmentWeight)} 的权重"
              + $"向全部部门收缩为{Percent(ratio)}"
            : $"本部门往年同期项目不足（{f.DepartmentPairs}个），取全部部门{years}同期{f.AllPairs}个项目的兑现比例{Percent(ratio)}";
        var formula = $"预计年末执行率 = 当前执行率{Percent(f.CurrentRate)} + {Percent(ratio)} ×（{Percent(f.PromisedRate)} − {Percent(f.CurrentRate)}）"
                      + $" = {Percent(f.ForecastRate)}";
        var interval = f.ForecastLow is { } l && f.ForecastHigh is { } h
            ? $"区间{Percent(l)}–{Percent(h)}为{(f.IntervalSource == "department" ? "本部门" : "全部部门")}往年预测误差的第10至第90百分位（约80%把握），并限定在当前执行率与100%之间。"
            : "";
        return $"以{promised}为所报目标；{history}。{formula}。{interval}";
    }

    private static string Money(decimal? v) => v is { } d ? d.ToString("N2", CultureInfo.InvariantCulture) : "—";

    private static string Number(decimal v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
