using System.Globalization;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 附件4 四、绩效目标情况及分析: the form's own sentence for one indicator, e.g.
/// "2024年度目标值为≥3000户，1-6月执行情况为1650户，完成年度目标值的55.0%，偏差率为10.0%（超前）。"
/// 完成年度目标值, 偏差率 and 超前 / 滞后 are columns of mart_indicator_derivation (completion_percent, deviation_percent,
/// deviation_direction); this class only writes them into the sentence.
/// </summary>
public static class IndicatorSentence
{
    public static string For(IndicatorDerivationRow row, int year, string period)
    {
        var target = $"{year}年度目标值为{TargetText(row)}";
        if (string.IsNullOrWhiteSpace(row.PeriodActual)) return $"{target}，{period}执行情况未填报。";
        var actual = $"{target}，{period}执行情况为{ActualText(row)}";
        if (row.CompletionPercent is not { } completion) return actual + "。";
        var sentence = $"{actual}，完成年度目标值的{Points(completion)}";
        return Deviation(row) is { } deviation ? $"{sentence}，偏差率为{deviation}。" : sentence + "。";
    }

    /// <summary>偏差率 with its sign and 超前 / 滞后 (符合序时进度 when it rounds to 0.0%), or null when it cannot be computed.</summary>
    public static string? Deviation(IndicatorDerivationRow row) =>
        row.DeviationPercent is not { } percent ? null
        : percent == 0 ? $"0.0%（{row.DeviationDirection}）"
        : $"{Points(percent)}（{row.DeviationDirection}）";

    /// <summary>A ratio as a percentage to one place (0.5 → 50.0%).</summary>
    public static string Percent(decimal ratio) => Points(ratio * 100);

    /// <summary>A percentage already computed (50.0 → 50.0%), to one place, half away from zero.</summary>
    public static string Points(decimal percent) =>
        Math.Round(percent, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The target as submitted: 指标性质 + 年度指标值 + 计量单位, without repeating what the value already holds
    /// (a 年度指标值 "≧１２０００" with 指标性质 "≥" stays "≧１２０００", never "≥≧１２０００").</summary>

    public static string TargetText(IndicatorDerivationRow row)
    {
        var value = (row.AnnualTarget ?? "").Trim();
        var comparator = (row.Comparator ?? "").Trim();
        var unit = (row.Unit ?? "").Trim();
        // 指标性质 may hold a word (定性, 正向, 反向) rather than a comparator: only symbols prefix the value
        value = WithComparator(value, comparator);
        if (unit.Length > 0 && !value.EndsWith(unit, StringComparison.Ordinal)) value += unit;
        return value;
    }

    /// <summary>The 指标性质 symbol before a 年度指标值 that does not already begin with a comparator of its own.</summary>
    public static string WithComparator(string value, string comparator) =>
        CellRules.ComparatorSymbols.Contains(comparator) && !CellRules.ComparatorStarts.Any(c => value.StartsWith(c, StringComparison.Ordinal))
            ? comparator + value
            : value;

    /// <summary>The actual as submitted, with the target's unit when it was given as a bare number.</summary>
    public static string ActualText(IndicatorDerivationRow row)
    {
        var actual = row.PeriodActual!.Trim();
        var unit = row.TargetUnit ?? row.Unit;
        return decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out _) && !string.IsNullOrEmpty(unit)
            ? actual + unit
            : actual;
    }
}
