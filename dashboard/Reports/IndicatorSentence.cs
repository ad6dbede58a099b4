using System.Globalization;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 附件4 四、绩效目标情况及分析: the form's own sentence for one indicator, e.g.
/// "2024年度目标值为≥3000户，1-6月执行情况为1650户，完成年度目标值的55.0%，偏差率为10.0%（超前）。"
/// 完成年度目标值 = 实际 / 年度指标值; 偏差率 = (实际 − 期间应完成) / 期间应完成, signed; for a ≤ target
/// (an upper limit) being above the expected value is 滞后, below it 超前.
/// </summary>
public static class IndicatorSentence
{
    public static string For(IndicatorDerivationRow row, int year, string period)
    {
        var target = $"{year}年度目标值为{TargetText(row)}";
        if (string.IsNullOrWhiteSpace(row.PeriodActual)) return $"{target}，{period}执行情况未填报。";
        var actual = $"{target}，{period}执行情况为{ActualText(row)}";
        if (row.ActualValue is not { } value || row.TargetValue is not { } annual || annual == 0) return actual + "。";
        var sentence = $"{actual}，完成年度目标值的{Percent(value / annual)}";
        return row.ExpectedValue is { } expected && expected != 0
            ? $"{sentence}，偏差率为{Deviation(value, expected, row.TargetComparator == "≤")}。"
            : sentence + "。";
    }

    /// <summary>偏差率 with its sign and 超前 / 滞后 (符合序时进度 when exactly on schedule).</summary>
    public static string Deviation(decimal actual, decimal expected, bool isUpperLimit)
    {
        var rate = (actual - expected) / expected;
        var rounded = Math.Round(rate * 100, 1, MidpointRounding.AwayFromZero);
        if (rounded == 0) return "0.0%（符合序时进度）";
        var ahead = isUpperLimit ? rounded < 0 : rounded > 0;
        return $"{Percent(rate)}（{(ahead ? "超前" : "滞后")}）";
    }

    public static string Percent(decimal ratio) =>
        Math.Round(ratio * 100, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Comparators a 指标性质 column may hold, which prefix a bare 年度指标值.</summary>
    private static readonly string[] ComparatorSymbols = ["≥", "≤", "=", ">", "<", ">=", "<=", "≧", "≦"];

    /// <summary>How a submitted 年度指标值 may already begin with its comparator (half/full width, or in words).</summary>
    private static readonly string[] ComparatorStarts =
        ["≥", "≤", "=", ">", "<", "≧", "≦", "＞", "＜", "＝", "不低于", "不高于", "不少于", "不多于", "不超过", "大于", "小于", "高于", "低于", "达到"];

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
        ComparatorSymbols.Contains(comparator) && !ComparatorStarts.Any(c => value.StartsWith(c, StringComparison.Ordinal))
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
