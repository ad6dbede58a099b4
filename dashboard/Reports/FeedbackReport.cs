using System.Globalization;
using BudgetPerf.Warehouse.Queries;

using static BudgetPerf.Dashboard.Reports.MonitoringReport;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 项目支出绩效评价结果反馈书 (表2-B) and its 部门整体 version (表1-B) as the college prints them: the grid of labels
/// (项目名称 / 实施部门 项目负责人 / 评价机构 项目起止时间 / 综合评审等级 评价时间, or 部门名称 主要负责人 / 评价机构 评价年度 /
/// 综合评审等级 评价时间), 主要绩效情况 (from the scores), 主要问题与建议 split into 一、主要问题 (the indicators that lost
/// points, the form checks) and 二、相关建议 (with the 预算安排建议 flags and the articles they cite), and the 备注 line.
/// 评价机构 and a 负责人 the submissions do not carry are left blank for the reviewer to fill.
/// </summary>
public static class FeedbackReport
{
    public const string Remark = "备注：本表为相关部门或第三方机构对绩效评价复核专用表。";

    /// <summary>The grid's four columns (twips): label, value, label, value; the labels hold six characters of 三号.</summary>
    private static readonly int[] Columns = [2200, OfficialDocument.TextWidth / 2 - 2200, 2200, OfficialDocument.TextWidth - OfficialDocument.TextWidth / 2 - 2200];

    public static void Write(FeedbackData data, Stream stream)
    {
        using var doc = OfficialDocument.Create(stream);
        doc.FormNumber(data.IsDepartment ? "表1-B" : "表2-B");
        doc.Title(data.IsDepartment ? "整体支出绩效评价结果反馈书" : "项目支出绩效评价结果反馈书");
        doc.Body($"（{data.Year}年度）");
        var evaluatedAt = data.EvaluatedAt is { } at ? $"{at:yyyy年M月d日}（自评表报送日期）" : "未报送自评表";
        var rows = new List<IReadOnlyList<FormCell>>();
        if (data.IsDepartment)
        {
            rows.Add([FormCell.Label("部门名称"), FormCell.Value(data.Name), FormCell.Label("主要负责人"), FormCell.Value("")]);
            rows.Add([FormCell.Label("评价机构"), FormCell.Value(""), FormCell.Label("评价年度"), FormCell.Value($"{data.Year}年度")]);
        }
        else
        {
            rows.Add([FormCell.Label("项目名称"), FormCell.Value($"{data.Name}（项目编码 {data.Code}）", span: 3)]);
            rows.Add([FormCell.Label("实施部门"), FormCell.Value(data.ImplementingUnit ?? data.DepartmentName ?? "未填报"),
                      FormCell.Label("项目负责人"), FormCell.Value("")]);
            rows.Add([FormCell.Label("评价机构"), FormCell.Value(""), FormCell.Label("项目起止时间"), FormCell.Value(MonitoringReport.StartEnd(data.StartDate, data.EndDate))]);
        }
        rows.Add([FormCell.Label("综合评审等级"), FormCell.Value(GradeText(data)), FormCell.Label("评价时间"), FormCell.Value(evaluatedAt)]);
        rows.Add([FormCell.Label("主要绩效情况"), FormCell.Values(Performance(data), span: 3)]);
        rows.Add([FormCell.Label("主要问题与建议", RowMerge.Restart), FormCell.Label("一、主要问题"), FormCell.Values(Problems(data), span: 2)]);
        rows.Add([FormCell.Continued(), FormCell.Label("二、相关建议"), FormCell.Values(Suggestions(data), span: 2)]);
        doc.Grid(Columns, rows);
        doc.Note(Remark);
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
                  + $"{Score(data.Scores[0].WeightTotal)}分）；"
                  + (full.Count == 0 ? "没有指标得满分。" : $"{full.Count}项指标达到年度目标并得满分：{string.Join("、", full)}。"));
        return lines;
    }

    /// <summary>Indicators that lost points, largest loss first.</summary>
    public static IReadOnlyList<IndicatorScoreRow> LowScoring(FeedbackData data) =>
        data.Scores.Where(s => s.Weight is { } w && s.RecomputedScore is { } r && r < w)
            .OrderByDescending(s => s.Weight!.Value - s.RecomputedScore!.Value).ThenBy(s => s.Level3, StringComparer.Ordinal).ToList();

    /// <summary>一、主要问题: the indicators that lost points (largest loss first) and the form checks.</summary>
    public static IReadOnlyList<string> Problems(FeedbackData data)
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
        if (lines.Count == 0) lines.Add("无。");
        return lines;
    }

    /// <summary>二、相关建议: what to do about the indicators that lost points, then each 预算安排建议 flag with the articles it cites.</summary>
    public static IReadOnlyList<string> Suggestions(FeedbackData data)
    {
        var suggestions = new List<string>();
        var low = LowScoring(data).Select(s => s.Level3).ToList();
        if (low.Count > 0)
            suggestions.Add($"针对{string.Join("、", low)}未达到年度目标，建议分析原因、制定整改措施，并在编制下年度预算时合理设定绩效目标，整改情况纳入下年度绩效监控。");
        if (data.IsDepartment)
            foreach (var group in data.Flags.GroupBy(f => f.Flag))
                suggestions.Add($"{group.Key}：本部门{group.Count()}个项目（{Names(group.Select(f => f.ProjectName ?? f.ProjectCode).ToList())}），"
                                + $"涉及金额{Money(group.First().FlagAmount)}万元；依据：{group.First().BasisQuote ?? group.First().Basis}。");
        else
            foreach (var f in data.Flags)
                suggestions.Add($"{f.Flag}：{f.Reason}；依据：{f.BasisQuote ?? f.Basis}。");
        return suggestions.Count == 0 ? ["无。"] : suggestions.Select((line, i) => $"{i + 1}. {line}").ToList();
    }

    /// <summary>At most <see cref="NamesListed"/> names, then 等.</summary>
    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= NamesListed ? string.Join("、", names) : string.Join("、", names.Take(NamesListed)) + "等";

    public const int NamesListed = 5;

    private static string TargetText(IndicatorScoreRow s)
    {
        var value = (s.AnnualTarget ?? "").Trim();
        var comparator = (s.Comparator ?? "").Trim();
        value = IndicatorSentence.WithComparator(value, comparator);
        if (s.Unit is { Length: > 0 } unit && !value.EndsWith(unit, StringComparison.Ordinal)) value += unit;
        return value;
    }

    private static string UnitIfBare(IndicatorScoreRow s) =>
        decimal.TryParse(s.Actual, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? s.Unit ?? "" : "";

    private static string Score(decimal? score) =>
        score is { } s ? Math.Round(s, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture) : "—";
}
