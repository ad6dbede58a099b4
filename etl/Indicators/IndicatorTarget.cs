namespace BudgetPerf.Etl.Indicators;

/// <summary>
/// A parsed 年度指标值 (or 期间指标值): comparator, number and unit, or a qualitative phrase (DESIGN §3).
/// </summary>
/// <param name="Comparator"><c>≥</c>, <c>≤</c>, <c>=</c> or <c>定性</c>.</param>
/// <param name="Value">The number (null for a qualitative target).</param>
/// <param name="Unit">Normalised unit (<c>%</c>, <c>万元</c>, <c>个</c> …); null when neither the text, the 计量单位 column nor the name gives one.</param>
/// <param name="IsCumulative">A unit that accumulates over the year (counts, money, people, area): pro-rated by 序时进度 at monitoring.</param>
/// <param name="Phrase">The qualitative phrase (<c>健全</c>, <c>是</c> …); an actual equal to it is 达成.</param>
public sealed record IndicatorTarget(string Comparator, decimal? Value, string? Unit, bool IsCumulative, string? Phrase = null)
{
    public const string AtLeast = "≥";
    public const string AtMost = "≤";
    public const string EqualTo = "=";
    public const string Qualitative = "定性";

    public bool IsQualitative => Comparator == Qualitative;
}

/// <summary>The three bands a qualitative result falls in (达成 / 部分达成 / 未达成).</summary>
public static class ResultBand
{
    public const string Achieved = "达成";
    public const string Partial = "部分达成";
    public const string Missed = "未达成";
}

/// <summary>
/// A parsed 实际完成值 / 期间执行情况: a number (in the target's unit), or a band, or neither — 未填报
/// (blank, or a text such as <c>年底开展调查</c> where a number is expected).
/// </summary>
public sealed record IndicatorActual(decimal? Value, string? Unit, string? Band)
{
    public static readonly IndicatorActual NotReported = new(null, null, null);

    public bool IsReported => Value is not null || Band is not null;
}
