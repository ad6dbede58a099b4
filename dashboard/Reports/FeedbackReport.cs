using System.Globalization;
using BudgetPerf.Warehouse.Queries;

using static BudgetPerf.Dashboard.Reports.MonitoringReport;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 项目支出绩效评价结果反馈书 (表2-B) and its 部门整体 version (表1-B): a form of label/value rows — the subject,
/// 综合评审等级 (the recomputed grade), 评价时间 (when the self-evaluation was submitted), 主要绩效情况 (from the scores)
/// and 主要问题与建议 (the indicators that lost points, the form checks, and the 预算安排建议 flags with their basis).
/// </summary>
public static class FeedbackReport
{
    public static void Write(FeedbackData data, Stream stream)
    {
        using var doc = OfficialDocument.Create(stream);
        doc.FormNumber(data.IsDepartment ? "表1-B" : "表2-B");
        doc.Title(data.IsDepartment ? "部门整体支出绩效评价结果反馈书" : "项目支出绩效评价结果反馈书");
        doc.Body($"（{data.Year}年度）");
        var rows = new List<(string, IReadOnlyList<string>)>();
        if (data.IsDepartment)
        {
            rows.Add(("部门名称", [data.Name]));
            rows.Add(("部门编码", [data.Code]));
        }
        else
        {
            rows.Add(("项目名称", [data.Name]));
            rows.Add(("项目编码", [data.Code]));
            rows.Add(("主管部门", [data.DepartmentName ?? "未填报"]));
            rows.Add(("实施单位", [data.ImplementingUnit ?? "未填报"]));
        }
        rows.Add(("综合评审等级", [GradeText(data)]));
        rows.Add(("评价时间", [data.EvaluatedAt is { } at ? $"{at:yyyy年M月d日}（自评表报送日期）" : "未报送自评表"]));
        rows.Add(("主要绩效情况", Performance(data)));
        rows.Add(("主要问题与建议", ProblemsAndSuggestions(data)));
        doc.Form(rows);
        doc.Signature("反馈单位（盖章）：              ");
        doc.Signature("年    月    日");
    }

    public static string GradeText(FeedbackData data) => data.Grade switch
    {
        null => "未评（未报送自评表）",
        { Grade: "未评" } => "未评（有指标未填报实际完成值，无法计算得分）",
        var g => $"{g.Grade}（复核得分{Score(g.RecomputedScore)}分，自评得分{Score(g.PublishedScore)}分"
                 + (g.ScoreRank is { } rank ? $"，本年度部门排名第{rank}" : "") + "）",
    };

    public static IReadOnlyList<string> Performance(FeedbackData data)
    {
        if (data.Grade is not { } g) return [$"{data.Year}年度未报送自评表。"];
        var lines = new List<string>
        {
            $"{data.Year}年度全年预算{Money(g.Budget)}万元，全年执行{Money(g.Executed)}万元，预算执行率"
            + $"{(g.ExecutionRate is { } r ? IndicatorSentence.Percent(r) : "无法计算（预算为0）")}，预算执行得分{Score(g.BudgetScore)}分。",
        };
        if (data.Scores.Count == 0) return lines;
        var full = data.Scores.Where(s => s.Weight is { } w && s.RecomputedScore == w).Select(s => s.Level3).ToList();
        lines.Add($"共设置{data.Scores.Count}项绩效指标，指标得分合计{Score(g.IndicatorScore)}分（分值合计"
                  + $"{Score(data.Scores.Sum(s => s.Weight ?? 0))}分）；"
                  + (full.Count == 0 ? "没有指标得满分。" : $"{full.Count}项指标达到年度目标并得满分：{string.Join("、", full)}。"));
        return lines;
    }

    /// <summary>Indicators that lost points, largest loss first.</summary>
    public static IReadOnlyList<IndicatorScoreRow> LowScoring(FeedbackData data) =>
        data.Scores.Where(s => s.Weight is { } w && s.RecomputedScore is { } r && r < w)
            .OrderByDescending(s => s.Weight!.Value - s.RecomputedScore!.Value).ThenBy(s => s.Level3, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> ProblemsAndSuggestions(FeedbackData data)
    {
        var lines = new List<string>();
        var n = 0;
        foreach (var s in LowScoring(data))
            lines.Add($"{++n}. {s.Level3}：年度目标值{TargetText(s)}，实际完成{s.Actual}{UnitIfBare(s)}，得分{Score(s.RecomputedScore)}分"
                      + $"（分值{Score(s.Weight)}分，失分{Score(s.Weight - s.RecomputedScore)}分）。");
        foreach (var s in data.Scores.Where(s => s.Rule == "unreported"))
            lines.Add($"{++n}. {s.Level3}：未填报实际完成值（或填报的不是数值），无法评分。");
        if (data.Grade is { Flags: { Length: > 0 } flags }) lines.Add($"{++n}. 自评表核对发现：{flags}。");
        if (lines.Count == 0 && data.Grade is not null) lines.Add("各项绩效指标均达到年度目标，未发现扣分事项。");

        var suggestions = new List<string>();
        var low = LowScoring(data).Select(s => s.Level3).ToList();
        if (low.Count > 0)
            suggestions.Add($"针对{string.Join("、", low)}未达到年度目标，建议分析原因、制定整改措施，并在编制下年度预算时合理设定绩效目标，整改情况纳入下年度绩效监控。");
        if (data.IsDepartment)
            foreach (var group in data.Flags.GroupBy(f => f.Flag))
                suggestions.Add($"{group.Key}：本部门{group.Count()}个项目（{Names(group.Select(f => f.ProjectName ?? f.ProjectCode).ToList())}），"
                                + $"涉及金额{Money(group.Sum(f => f.Amount ?? 0))}万元；依据：{group.First().BasisQuote ?? group.First().Basis}。");
        else
            foreach (var f in data.Flags)
                suggestions.Add($"{f.Flag}：{f.Reason}；依据：{f.BasisQuote ?? f.Basis}。");
        if (suggestions.Count == 0) suggestions.Add("无。");
        lines.Add("建议：");
        lines.AddRange(suggestions.Select((s, i) => $"（{ChineseNumbers[i % ChineseNumbers.Length]}）{s}"));
        return lines;
    }

    /// <summary>At most <see cref="NamesListed"/> names, then 等.</summary>
    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= NamesListed ? string.Join("、", names) : string.Join("、", names.Take(NamesListed)) + "等";

    public const int NamesListed = 5;

    private static string TargetText(IndicatorScoreRow s)
    {
        var value = (s.AnnualTarget ?? "").Trim();
        var comparator = (s.Comparator ?? "").Trim();
        if (comparator is "≥" or "≤" or "=" or ">" or "<" && !value.StartsWith(comparator, StringComparison.Ordinal)) value = comparator + value;
        if (s.Unit is { Length: > 0 } unit && !value.EndsWith(unit, StringComparison.Ordinal)) value += unit;
        return value;
    }

    private static string UnitIfBare(IndicatorScoreRow s) =>
        decimal.TryParse(s.Actual, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? s.Unit ?? "" : "";

    private static string Score(decimal? score) =>
        score is { } s ? Math.Round(s, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture) : "—";
}
