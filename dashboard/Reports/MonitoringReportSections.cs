using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>附件4 四 (绩效目标情况及分析) and 五 (意见和建议), heading by heading as the template prints them.</summary>
public static partial class MonitoringReport
{
    private const string NoIndicators = "本期未设置该类指标。";

    private static void Indicators(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("四、绩效目标情况及分析");
        doc.Heading2("（一）绩效目标完成情况");
        if (data.Indicators.Count == 0) doc.Body($"{data.Year}年{data.Period}未报送绩效指标执行情况。");
        ForEachGroup(doc, data, completion: true, rows =>
        {
            if (rows.Count == 0) doc.Body(NoIndicators);
            foreach (var row in rows) doc.Body($"{row.Level3}：{IndicatorSentence.For(row, data.Year, data.Period)}");
        });
        var known = IndicatorGroups.SelectMany(g => g.Categories).Select(c => c.Category).ToHashSet();
        foreach (var row in data.Indicators.Where(i => i.Category is null || !known.Contains(i.Category)))
            doc.Body($"另有未归入上述类别的指标 {row.Level3}：{IndicatorSentence.For(row, data.Year, data.Period)}");

        doc.Heading2("（二）原因分析");
        ForEachGroup(doc, data, completion: false, rows =>
        {
            var deviating = rows.Where(i => i.Light is "red" or "yellow").ToList();
            if (rows.Count == 0) doc.Body(NoIndicators);
            else if (deviating.Count == 0) doc.Body("未出现偏差。");
            foreach (var row in deviating) doc.Body(CauseSentence(row));
        });
    }

    /// <summary>The 1./（1） lines of one half of 四 in the form's order, each followed by what <paramref name="write"/> says of its rows.</summary>
    private static void ForEachGroup(OfficialDocument doc, MonitoringReportData data, bool completion,
        Action<IReadOnlyList<IndicatorDerivationRow>> write)
    {
        foreach (var (completionTitle, causesTitle, categories) in IndicatorGroups)
        {
            doc.Body(completion ? completionTitle : causesTitle);
            foreach (var ((category, title), i) in categories.Select((c, i) => (c, i)))
            {
                var suffix = completion ? "情况" : "偏差原因";
                doc.Body(categories.Length == 1 ? title + suffix : $"（{i + 1}）{title}{suffix}。");
                write(data.Indicators.Where(r => r.Category == category).ToList());
            }
        }
    }

    /// <summary>附件4's 偏差原因 sentence: "偏差率为x%，其原因…" with the cause groups of 附件1 as submitted.</summary>
    public static string CauseSentence(IndicatorDerivationRow row)
    {
        var rate = IndicatorSentence.Deviation(row) is { } deviation ? $"偏差率为{deviation}，" : "";
        return $"{row.Level3}（{LightName(row.Light)}）：{rate}其原因为{CauseGroupOf(row.DeviationCauses)}方面："
               + $"{row.DeviationCauses ?? "未填报偏差原因"}。{row.CauseNote}".TrimEnd();
    }

    /// <summary>The form's cause group a submitted cause falls in (其他 when it names none).</summary>
    public static string CauseGroupOf(string? causes) =>
        CauseGroups.FirstOrDefault(g => causes?.Contains(g, StringComparison.Ordinal) == true) ?? "其他";

    private static void Suggestions(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("五、意见和建议");
        doc.Heading2("（一）主要问题");
        var problems = Problems(data);
        if (problems.Count == 0) doc.Body("本期未发现预算执行或绩效目标方面的明显问题。");
        foreach (var (line, i) in problems.Select((l, i) => (l, i))) doc.Body($"{i + 1}.{line}");

        doc.Heading2("（二）改进措施");
        doc.Body("1.对预算执行进度方面的建议");
        doc.Body(data.Execution is { Warning: "red" or "yellow" } e
            ? $"预算执行率{(e.ExecutionRate is { } r ? IndicatorSentence.Percent(r) : "无法计算")}，低于序时进度，亮{LightName(e.Warning)}，建议加快项目实施和资金支付进度，避免资金沉淀。"
            : "预算执行进度与序时进度基本匹配，按计划推进。");
        doc.Body("2.对预算绩效管理及实施方面的建议");
        var improvements = data.Indicators.Where(i => !string.IsNullOrWhiteSpace(i.Improvement)).ToList();
        if (improvements.Count == 0) doc.Body("项目单位未提交改进措施。");
        foreach (var row in improvements) doc.Body($"{row.Level3}：{row.Improvement}");
        doc.Body("3.对调整项目预算的建议");
        if (data.Consequences.Count == 0) doc.Body("根据规则判断，暂无调减预算、收回资金或暂停拨款的建议。");
        foreach (var c in data.Consequences)
            doc.Body($"{c.Flag}：{c.Reason}{(c.Amount is { } a ? $"，涉及金额{Money(a)}万元" : "")}。依据：{c.BasisQuote ?? c.Basis ?? "未对应条款"}。");
        doc.Body("4.对修订绩效目标的建议");
        var red = data.Indicators.Where(i => i.Light == "red").Select(i => i.Level3).ToList();
        doc.Body(red.Count == 0
            ? "各项指标未亮红灯，暂不建议修订绩效目标。"
            : $"{string.Join("、", red)}亮红灯，建议核实年度目标的合理性，必要时按程序修订绩效目标。");

        doc.Heading2("（三）纠偏情况");
        CorrectionsMade(doc, data);
        doc.Heading2("（四）有关建议");
        var doubtful = data.Indicators.Where(i => i.Possibility is { } p && p.Contains("不可能", StringComparison.Ordinal)).Select(i => i.Level3).ToList();
        doc.Body(doubtful.Count == 0 ? "无。" : $"{string.Join("、", doubtful)}完成目标可能性为 完全不可能，建议按程序调减预算并调整绩效目标。");
    }

    /// <summary>（一）主要问题: execution behind schedule and each red/yellow indicator, in one line each.</summary>
    private static List<string> Problems(MonitoringReportData data)
    {
        var lines = new List<string>();
        if (data.Execution is { Warning: "red" or "yellow" } e && e.ExecutionRate is { } rate && e.ScheduleRate is { } schedule)
            lines.Add($"预算执行率{IndicatorSentence.Percent(rate)}，低于序时进度{IndicatorSentence.Percent(schedule)}（{LightName(e.Warning)}）。");
        lines.AddRange(data.Indicators.Where(i => i.Light is "red" or "yellow")
            .Select(i => $"{i.Level3}亮{LightName(i.Light)}：{IndicatorSentence.For(i, data.Year, data.Period)}"));
        return lines;
    }

    private static void CorrectionsMade(OfficialDocument doc, MonitoringReportData data)
    {
        if (data.Corrections.Count == 0 && data.Adjustments.Count == 0)
        {
            doc.Body($"截至本报告生成时，项目单位未报送{data.Year}年度的绩效运行监控目标纠偏表和目标调整表。");
            return;
        }
        foreach (var c in data.Corrections) doc.Body(CorrectionSentence(c));
        if (data.Adjustments.Count == 0) return;
        var first = data.Adjustments[0];
        doc.Body($"调整原因及依据：{first.Reason ?? "未填报"}。原先申请资金{Money(first.OriginalAmount)}万元，计划调整后资金{Money(first.AdjustedAmount)}万元。");
        // the form lists every indicator; only those given a 调整后指标 are changed
        foreach (var a in data.Adjustments.Where(a => a.Level3 is not null && a.AdjustedTarget is not null))
            doc.Body($"{a.Level3}：原指标{a.OriginalTarget ?? "未填报"}，调整后指标{a.AdjustedTarget ?? "未填报"}"
                     + (a.Explanation is null ? "。" : $"（{a.Explanation}）。"));
    }

    /// <summary>One 纠偏表 row as a sentence: the quarter, the figures as submitted, the problems and the measures.</summary>
    public static string CorrectionSentence(CorrectionRow c) =>
        $"{c.Quarter}，{c.Level3}：完成时指标值{c.FinalTarget ?? "未填报"}，本季度应完成值{c.QuarterTarget ?? "未填报"}，"
        + $"实际完成{c.Actual ?? "未填报"}，执行偏差{c.Deviation ?? "未填报"}；存在的主要问题：{c.Problems ?? "未填报"}；"
        + $"改进措施和有关建议：{c.Measures ?? "未填报"}。";
}
