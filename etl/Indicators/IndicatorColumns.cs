using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Indicators;

/// <summary>
/// The parsed columns the loader adds to the indicator families' raw tables (migration 0005): the 年度指标值 read into
/// comparator / number / unit, the 期间指标值 number, and the reported result as a number or a band.
/// </summary>
public static class IndicatorColumns
{
    /// <summary>Columns added to every indicator table, in the order <see cref="Derive"/> returns them.</summary>
    public static readonly IReadOnlyList<string> Parsed =
    [
        "target_comparator", "target_value", "target_unit", "is_cumulative", "is_qualitative",
        "period_target_value", "actual_value", "actual_band",
    ];

    /// <summary>The derived column names for a family (empty when it has no 年度指标值).</summary>
    public static IReadOnlyList<string> For(SubmissionKind kind) => Applies(kind) ? Parsed : [];

    public static bool Applies(SubmissionKind kind) =>
        kind.Fields.Any(f => f.Column == "annual_target") && kind.Fields.Any(f => f.Column is "actual" or "period_actual");

    /// <summary>A problem with one cell, for the validator to report (it adds the file, sheet and row).</summary>
    public sealed record CellProblem(string Header, string? Value, bool IsError, string Message);

    /// <summary>
    /// Parsed values for one validated row (<paramref name="values"/> in field order). A target the parser cannot read is
    /// an error quoting the text; a result that is neither a number nor a band is 未填报 with a warning quoting it.
    /// </summary>
    public static object?[]? Derive(SubmissionKind kind, object?[] values, List<CellProblem> problems)
    {
        string? Text(string column)
        {
            for (var i = 0; i < kind.Fields.Count; i++)
                if (kind.Fields[i].Column == column) return values[i] as string;
            return null;
        }

        var targetText = Text("annual_target");
        if (!IndicatorValueParser.TryParseTarget(targetText, Text("comparator"), Text("unit"), Text("level3"), out var target))
        {
            problems.Add(new CellProblem("年度指标值", targetText, true,
                $"无法识别年度指标值“{targetText}”：应为 ≥95%、≤90万元、100（单位见计量单位列）或定性描述"));
            return null;
        }

        decimal? periodTarget = null;
        if (Text("period_target") is { } periodText)
        {
            if (IndicatorValueParser.TryParseTarget(periodText, Text("comparator"), Text("unit"), Text("level3"), out var pt)
                && !pt.IsQualitative)
                periodTarget = pt.Value;
        }

        var actualColumn = kind.Fields.Any(f => f.Column == "period_actual") ? "period_actual" : "actual";
        var actualText = Text(actualColumn);
        var actual = IndicatorValueParser.ParseActual(actualText, target);
        if (!actual.IsReported && !string.IsNullOrWhiteSpace(actualText))
            problems.Add(new CellProblem(actualColumn == "actual" ? "实际完成值" : "期间执行情况", actualText, false,
                $"“{actualText}”不是{(target.IsQualitative ? "达成/部分达成/未达成" : "数值")}：按未填报处理，该指标不计分"));

        return
        [
            target.Comparator, Round(target.Value), target.Unit, target.IsCumulative, target.IsQualitative,
            Round(periodTarget), Round(actual.Value), actual.Band,
        ];
    }

    /// <summary>The raw columns are DECIMAL(18,4).</summary>
    private static decimal? Round(decimal? value) =>
        value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null;
}
