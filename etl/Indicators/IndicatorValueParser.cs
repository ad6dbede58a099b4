using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BudgetPerf.Etl.Indicators;

/// <summary>
/// Reads 指标值 the way forms write them (DESIGN §3): <c>≥50个</c>, <c>&gt;=95%</c>, <c>≥100百分比</c>, <c>≤90万元</c>,
/// <c>150万</c>, <c>=100%</c>, <c>-0%</c>, a bare <c>100</c> (unit from the 计量单位 column or the indicator name),
/// <c>不低于95%</c>, <c>不高于</c>, <c>以内</c>, full-width <c>９５％</c> and <c>≧</c>, the 四川 split columns
/// (指标性质 / 指标值 / 度量单位), <c>是/否</c> and qualitative phrases; and actual values, including the three
/// qualitative bands.
/// </summary>
public static partial class IndicatorValueParser
{
    private static readonly (string Word, string Comparator)[] Prefixes =
    [
        ("大于或等于", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
        ("达到", "≥"), ("高于", "≥"), ("大于", "≥"), ("超过", "≥"), ("≥", "≥"), (">", "≥"),
        ("小于或等于", "≤"), ("小于等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("控制在", "≤"),
        ("最多", "≤"), ("低于", "≤"), ("小于", "≤"), ("≤", "≤"), ("<", "≤"),
        ("等于", "="), ("=", "="),
    ];

    private static readonly (string Word, string Comparator)[] Suffixes =
    [
        ("及以上", "≥"), ("以上", "≥"), ("以内", "≤"), ("之内", "≤"), ("以下", "≤"),
    ];

    /// <summary>Units that do not accumulate over the year: rates, ratings, durations.</summary>
    private static readonly HashSet<string> LevelUnits =
    [
        "%", "‰", "分", "级", "等", "星", "星级", "天", "日", "年", "月", "个月", "周", "小时", "分钟", "工作日", "倍",
    ];

    private static readonly string[] RateNameEndings = ["率", "比例", "占比", "比重", "满意度", "覆盖面"];

    [GeneratedRegex(@"^(-?\d+(?:\.\d+)?)(\D{0,8})$")]
    private static partial Regex NumberAndUnit();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    /// <summary>
    /// Parses a target. <paramref name="comparatorColumn"/> is 指标性质 (≥ ≤ = 定性, 正向/反向), <paramref name="unitColumn"/>
    /// 计量单位, <paramref name="indicatorName"/> the 三级指标 (…率 → %). False when the text cannot be read: the loader
    /// reports it quoting the text.
    /// </summary>
    public static bool TryParseTarget(string? text, string? comparatorColumn, string? unitColumn, string? indicatorName,
        out IndicatorTarget target)
    {
        target = new IndicatorTarget(IndicatorTarget.Qualitative, null, null, false);
        var s = Normalize(text);
        if (s.Length == 0) return false;
        var columnComparator = ComparatorOf(comparatorColumn);

        if (TryNumber(s, out var comparator, out var value, out var unit))
        {
            unit ??= NormalizeUnit(unitColumn) ?? UnitFromName(indicatorName);
            comparator ??= columnComparator is null or IndicatorTarget.Qualitative ? IndicatorTarget.EqualTo : columnComparator;
            target = new IndicatorTarget(comparator, value, unit, IsCumulativeUnit(unit));
            return true;
        }

        // A phrase: 健全, 是, 在项目计划完成时间内完成, 2024年12月底前完成 … Symbols alone (≥, /, —) are not a target.
        if (!Cjk().IsMatch(s)) return false;
        target = new IndicatorTarget(IndicatorTarget.Qualitative, null, null, false, text!.Trim());
        return true;
    }

    /// <summary>
    /// Parses a reported result against its target: a number converted to the target's unit (元 ↔ 万元 ↔ 亿元), or a
    /// band (达成 / 部分达成 / 未达成); <see cref="IndicatorActual.NotReported"/> for a blank or a text that is neither.
    /// </summary>
    public static IndicatorActual ParseActual(string? text, IndicatorTarget target)
    {
        var s = Normalize(text);
        if (s.Length == 0) return IndicatorActual.NotReported;
        var band = BandOf(s, target);
        if (target.IsQualitative) return band is null ? IndicatorActual.NotReported : new IndicatorActual(null, null, band);
        if (TryNumber(s, out _, out var value, out var unit))
            return new IndicatorActual(Convert(value, unit, target.Unit), target.Unit ?? unit, null);
        return band is null ? IndicatorActual.NotReported : new IndicatorActual(null, null, band);
    }

    /// <summary>The band a qualitative result names, or null (未达成 is checked first: it contains 达成).</summary>
    public static string? BandOf(string? text, IndicatorTarget? target = null)
    {
        var s = Normalize(text);
        if (s.Length == 0) return null;
        if (s is "否" or "不是" or "无" || s.StartsWith("没有") ||
            (s.StartsWith('未') && ContainsAny(s, "达成", "完成", "达到", "实现")))
            return ResultBand.Missed;
        if (ContainsAny(s, "部分达成", "部分完成", "基本达成", "基本完成", "部分实现", "部分达到", "基本实现"))
            return ResultBand.Partial;
        if (target?.Phrase is { } phrase && (s == Normalize(phrase) || s == "已" + Normalize(phrase)))
            return ResultBand.Achieved;
        if (s is "是" or "有" or "已完成" or "完成" or "全部完成" or "全面完成" or "达成" or "已达成" or "已实现" or "实现" ||
            s.StartsWith("达成") || s.StartsWith("完成") || s.StartsWith("已完成") || s.StartsWith("全面完成") ||
            s.StartsWith("全部完成") || s.StartsWith("已达到") || s.StartsWith("达到预期"))
            return ResultBand.Achieved;
        return null;
    }

    /// <summary>Comparator of a 指标性质 cell: ≥ ≤ = 定性 (or 正向/反向, 定量 → none).</summary>
    public static string? ComparatorOf(string? column)
    {
        var s = Normalize(column);
        if (s.Length == 0) return null;
        if (s.StartsWith("定性")) return IndicatorTarget.Qualitative;
        if (s.StartsWith("正向")) return IndicatorTarget.AtLeast;
        if (s.StartsWith("反向")) return IndicatorTarget.AtMost;
        foreach (var (word, comparator) in Prefixes)
            if (s == word) return comparator;
        return null;
    }

    /// <summary>Full-width to half-width, ≧/≦/>=/<= to ≥/≤, dashes to '-', no spaces or thousands separators.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var s = text.Normalize(NormalizationForm.FormKC).Trim();
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            switch (c)
            {
                case ' ' or '\t' or ',' or '\u3000': break;
                case '≧': sb.Append('≥'); break;
                case '≦': sb.Append('≤'); break;
                case '−' or '—' or '–': sb.Append('-'); break;
                default: sb.Append(c); break;
            }
        return sb.ToString().Replace(">=", "≥").Replace("<=", "≤").Replace("≥=", "≥").Replace("≤=", "≤");
    }

    private static bool TryNumber(string s, out string? comparator, out decimal value, out string? unit)
    {
        comparator = null;
        value = 0;
        unit = null;
        foreach (var (word, c) in Prefixes)
            if (s.StartsWith(word, StringComparison.Ordinal))
            {
                comparator = c;
                s = s[word.Length..];
                break;
            }
        if (s.StartsWith("百分之")) s = s[3..] + "%";
        foreach (var (word, c) in Suffixes)
            if (s.EndsWith(word, StringComparison.Ordinal))
            {
                comparator ??= c;
                s = s[..^word.Length];
                break;
            }
        var match = NumberAndUnit().Match(s);
        if (!match.Success) return false;
        value = decimal.Parse(match.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture);
        // -0% is how some forms write "zero" (事故率 -0%): an exact zero target
        if (match.Groups[1].Value.StartsWith('-') && value == 0) comparator ??= IndicatorTarget.EqualTo;
        unit = NormalizeUnit(match.Groups[2].Value);
        return true;
    }

    private static string? NormalizeUnit(string? unit)
    {
        var u = Normalize(unit);
        return u switch
        {
            "" => null,
            "百分比" or "百分率" or "个百分点" or "百分点" => "%",
            "千分比" or "千分率" => "‰",
            "万" => "万元",
            "亿" => "亿元",
            _ => u,
        };
    }

    private static string? UnitFromName(string? name)
    {
        var n = Normalize(name);
        return n.Length > 0 && RateNameEndings.Any(n.EndsWith) ? "%" : null;
    }

    public static bool IsCumulativeUnit(string? unit) =>
        unit is not null && !LevelUnits.Contains(unit) && !unit.Contains('/') && !unit.EndsWith('率');

    private static decimal Convert(decimal value, string? from, string? to)
    {
        static int Scale(string? u) => u switch { "元" => 0, "万元" => 4, "亿元" => 8, _ => -1 };
        var (f, t) = (Scale(from), Scale(to));
        if (f < 0 || t < 0 || f == t) return value;
        var factor = (decimal)Math.Pow(10, Math.Abs(f - t));
        return f > t ? value * factor : value / factor;
    }

    private static bool ContainsAny(string s, params string[] words) => words.Any(w => s.Contains(w, StringComparison.Ordinal));
}
