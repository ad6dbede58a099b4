using System.Globalization;
using System.Text;

namespace BudgetPerf.Etl.Demo;

/// <summary>How targets and results are written into the cells, in each department's style.</summary>
internal static class IndicatorText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Num(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("0.####", Inv);

    public static string Amount(decimal value) => value.ToString("0.####", Inv);

    /// <summary>The 年度指标值, 指标性质 and 计量单位 cells of an indicator.</summary>
    public static (string Target, string? Comparator, string? Unit) Target(PlannedIndicator pi, FormStyle style, Random rng)
    {
        if (pi.Kind == IndicatorKind.Qualitative)
            return (pi.Text, style.SplitTarget || style.ComparatorColumn ? "定性" : null, null);
        var number = Num(pi.Target, pi.Decimals);
        if (style.SplitTarget) return (number, pi.Comparator, pi.Unit);
        var text = rng.Next(100) < 4 ? Variant(pi, number, rng) : pi.Comparator + number + pi.Unit;
        return (text, style.ComparatorColumn ? pi.Comparator : null, pi.Unit);
    }

    /// <summary>A bound such as a 期间指标值 or 调整后指标: <c>≥600人次</c>, or the bare number in the split layout.</summary>
    public static string Bound(PlannedIndicator pi, decimal value, FormStyle style) =>
        style.SplitTarget ? Num(value, pi.Decimals) : pi.Comparator + Num(value, pi.Decimals) + pi.Unit;

    /// <summary>A reported result: <c>650人次</c> or <c>650</c>, <c>96.5%</c>.</summary>
    public static string Value(PlannedIndicator pi, decimal value, FormStyle style) =>
        style.UnitInActual && !style.SplitTarget ? Num(value, pi.Decimals) + pi.Unit : Num(value, pi.Decimals);

    /// <summary>The other ways forms write targets, all of which the parser reads (DESIGN §3).</summary>
    private static string Variant(PlannedIndicator pi, string number, Random rng)
    {
        var unit = pi.Unit ?? "";
        return (pi.Comparator, rng.Next(3)) switch
        {
            ("≥", 0) => ">=" + number + unit,
            ("≥", 1) => "不低于" + number + unit,
            ("≥", _) => FullWidth("≧" + number + unit),
            ("≤", 0) => "不高于" + number + unit,
            ("≤", 1) => number + unit + "以内",
            ("≤", _) when unit == "万元" => "≤" + number + "万",
            ("=", 0) => FullWidth("=" + number + unit),
            _ => pi.Comparator + number + unit,
        };
    }

    private static string FullWidth(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c switch
            {
                >= '0' and <= '9' => (char)('０' + (c - '0')),
                '%' => '％',
                '.' => '．',
                '=' => '＝',
                _ => c,
            });
        return sb.ToString();
    }
}
