using System.Globalization;
using BudgetPerf.Dashboard.Charts;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// xx项目支出绩效监控报告 (附件4) as a Word document: sections 一 to 六 of the form, then 七、纠偏情况 (what the 纠偏表 /
/// 调整表 submitted) and 八、其他需要说明的问题 (an editable placeholder). Section 三 carries the chart of 执行率 against
/// 序时进度 over the year's periods.
/// </summary>
public static class MonitoringReport
{
    public const string OrganisationPlaceholder =
        "（此处由项目单位填写绩效监控工作的组织实施情况：监控工作的组织、分工、时间安排与方法。本段为可编辑的占位文字，系统不生成其内容，请据实修改后删除本提示。）";

    public const string OtherMattersPlaceholder =
        "（此处由项目单位填写其他需要说明的问题，如政策变化、不可抗力等对项目实施的影响；没有的写“无”。本段为可编辑的占位文字，系统不生成其内容，请据实修改后删除本提示。）";

    /// <summary>Pixel size of the section 三 chart (drawn by ScottPlot, placed at the text width of the A4 page).</summary>
    public const int ChartWidth = 800, ChartHeight = 400;

    /// <summary>附件4 四: 一级指标 → its 二级 categories in the form's order (category values of mart_indicator_derivation).</summary>
    private static readonly (string Level1, (string Category, string Title)[] Categories)[] IndicatorGroups =
    [
        ("产出指标", [("数量", "数量指标"), ("质量", "质量指标"), ("时效", "时效指标"), ("成本", "成本指标")]),
        ("效益指标", [("经济效益", "经济效益指标"), ("社会效益", "社会效益指标"), ("生态效益", "生态效益指标"), ("可持续影响", "可持续影响指标")]),
        ("满意度指标", [("满意度", "服务对象满意度指标")]),
    ];

    /// <summary>附件4 五: the cause groups the form asks for, in its order.</summary>
    private static readonly string[] CauseGroups = ["经费", "制度", "人员", "硬件", "其他"];

    internal static readonly string[] ChineseNumbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    public static void Write(MonitoringReportData data, Stream stream)
    {
        using var doc = OfficialDocument.Create(stream);
        doc.Title($"{data.Project.ProjectName ?? data.Project.ProjectCode}项目支出绩效监控报告");
        doc.Body($"（{data.Year}年{data.Period}）");
        Organisation(doc);
        BasicInformation(doc, data);
        BudgetExecution(doc, data);
        Indicators(doc, data);
        Causes(doc, data);
        Suggestions(doc, data);
        CorrectionsMade(doc, data);
        OtherMatters(doc);
    }

    private static void Organisation(OfficialDocument doc)
    {
        doc.Heading1("一、绩效监控工作组织实施情况");
        doc.Body(OrganisationPlaceholder);
    }

    private static void BasicInformation(OfficialDocument doc, MonitoringReportData data)
    {
        var p = data.Project;
        doc.Heading1("二、项目基本情况");
        doc.Body($"项目名称：{p.ProjectName}（项目编码 {p.ProjectCode}）。主管部门：{p.DepartmentName ?? p.DepartmentCode ?? "未填报"}；"
                 + $"实施单位：{p.ImplementingUnit ?? "未填报"}。");
        doc.Body($"项目起止时间：{p.StartDate ?? "未填报"}至{p.EndDate ?? "未填报"}。");
        doc.Body($"项目主要内容及年度绩效目标：{p.AnnualGoal ?? "未填报"}");
        if (data.FundLines.Count == 0)
        {
            doc.Body($"{data.Year}年{data.Period}未报送资金情况。");
            return;
        }
        doc.Body($"{data.Year}年项目资金按来源如下（万元）：");
        doc.Table(["资金类别", "年初预算数", "调整后预算数", "期间执行数"],
            data.FundLines.Select(l => (IReadOnlyList<string>)[l.FundLine, Money(l.InitialBudget), Money(l.AdjustedBudget), Money(l.Executed)]));
    }

    private static void BudgetExecution(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("三、年度预算执行情况");
        if (data.Execution is not { } e)
        {
            doc.Body($"{data.Year}年{data.Period}未报送预算执行情况。");
            return;
        }
        var rate = e.ExecutionRate is { } r ? IndicatorSentence.Percent(r) : "无法计算（预算为0）";
        var schedule = e.ScheduleRate is { } s ? IndicatorSentence.Percent(s) : "未知";
        doc.Body($"截至{data.Period}，项目全年预算{Money(e.Budget)}万元，已执行{Money(e.Executed)}万元，预算执行率为{rate}，"
                 + $"序时进度为{schedule}，项目预警为{LightName(e.Warning)}。");
        if (ExecutionChart(data) is { } png)
            doc.Image(png, ChartWidth, ChartHeight, $"{data.Year}年预算执行率与序时进度（截至{data.Period}）");
    }

    /// <summary>执行率 and 序时进度 (%) in every monitored period of the year up to the report's, as grouped bars.</summary>
    public static byte[]? ExecutionChart(MonitoringReportData data)
    {
        var rows = data.ExecutionSeries;
        if (rows.Count == 0) return null;
        return ChartImages.Bars($"{data.Project.ProjectName ?? data.Project.ProjectCode}：执行率与序时进度",
            rows.Select(r => r.Period).ToList(),
            [("执行率%", rows.Select(r => Pct(r.ExecutionRate)).ToArray()), ("序时进度%", rows.Select(r => Pct(r.ScheduleRate)).ToArray())],
            "%", ChartWidth, ChartHeight);
    }

    private static double Pct(decimal? ratio) => ratio is { } r ? (double)(r * 100) : 0;

    private static void Indicators(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("四、绩效目标情况及分析");
        if (data.Indicators.Count == 0)
        {
            doc.Body($"{data.Year}年{data.Period}未报送绩效指标执行情况。");
            return;
        }
        var level1 = 0;
        foreach (var (title, categories) in IndicatorGroups)
        {
            var groups = categories
                .Select(c => (c.Title, Rows: data.Indicators.Where(i => i.Category == c.Category).ToList()))
                .Where(g => g.Rows.Count > 0).ToList();
            if (groups.Count == 0) continue;
            doc.Heading2($"（{ChineseNumbers[level1++]}）{title}");
            var level2 = 0;
            foreach (var (categoryTitle, rows) in groups)
            {
                doc.Body($"{++level2}.{categoryTitle}");
                foreach (var row in rows) doc.Body($"{row.Level3}：{IndicatorSentence.For(row, data.Year, data.Period)}");
            }
        }
        Unclassified(doc, data, level1);
    }

    /// <summary>Indicators whose 二级指标 maps to none of the form's groups are still reported, under 其他指标.</summary>
    private static void Unclassified(OfficialDocument doc, MonitoringReportData data, int level1)
    {
        var known = IndicatorGroups.SelectMany(g => g.Categories).Select(c => c.Category).ToHashSet();
        var rows = data.Indicators.Where(i => i.Category is null || !known.Contains(i.Category)).ToList();
        if (rows.Count == 0) return;
        doc.Heading2($"（{ChineseNumbers[level1]}）其他指标");
        foreach (var row in rows) doc.Body($"{row.Level3}：{IndicatorSentence.For(row, data.Year, data.Period)}");
    }

    private static void Causes(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("五、偏差原因分析");
        var deviating = data.Indicators.Where(i => i.Light is "red" or "yellow").ToList();
        if (deviating.Count == 0)
        {
            doc.Body("本期各项绩效指标均未出现偏差。");
            return;
        }
        var n = 0;
        foreach (var group in CauseGroups)
        {
            var rows = deviating.Where(i => CauseGroupOf(i.DeviationCauses) == group).ToList();
            if (rows.Count == 0) continue;
            doc.Heading2($"（{ChineseNumbers[n++]}）{group}方面");
            foreach (var row in rows)
                doc.Body($"{row.Level3}（{LightName(row.Light)}）：{row.DeviationCauses ?? "未填报偏差原因"}。{row.CauseNote}".TrimEnd());
        }
    }

    /// <summary>The form's cause group a submitted cause falls in (其他 when it names none).</summary>
    public static string CauseGroupOf(string? causes) =>
        CauseGroups.FirstOrDefault(g => causes?.Contains(g, StringComparison.Ordinal) == true) ?? "其他";

    private static void Suggestions(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("六、意见和建议");
        var n = 0;
        doc.Heading2($"（{ChineseNumbers[n++]}）预算安排建议");
        if (data.Consequences.Count == 0) doc.Body("根据规则判断，暂无调减预算、收回资金或暂停拨款的建议。");
        foreach (var c in data.Consequences)
            doc.Body($"{c.Flag}：{c.Reason}{(c.Amount is { } a ? $"，涉及金额{Money(a)}万元" : "")}。{(c.Basis is null ? "" : "依据：" + (c.BasisQuote ?? c.Basis))}".TrimEnd());
        var improvements = data.Indicators.Where(i => !string.IsNullOrWhiteSpace(i.Improvement)).ToList();
        doc.Heading2($"（{ChineseNumbers[n++]}）已提交的改进措施");
        if (improvements.Count == 0) doc.Body("项目单位未提交改进措施。");
        foreach (var row in improvements) doc.Body($"{row.Level3}：{row.Improvement}");
        doc.Heading2($"（{ChineseNumbers[n]}）修订绩效目标建议");
        var red = data.Indicators.Where(i => i.Light == "red").Select(i => i.Level3).ToList();
        doc.Body(red.Count == 0
            ? "各项指标未亮红灯，暂不建议修订绩效目标。"
            : $"{string.Join("、", red)}亮红灯，建议核实年度目标的合理性，必要时按程序修订绩效目标。");
    }

    private static void CorrectionsMade(OfficialDocument doc, MonitoringReportData data)
    {
        doc.Heading1("七、纠偏情况");
        if (data.Corrections.Count == 0 && data.Adjustments.Count == 0)
        {
            doc.Body($"截至本报告生成时，项目单位未报送{data.Year}年度的绩效监控纠偏表和绩效目标调整表。");
            return;
        }
        var n = 0;
        if (data.Corrections.Count > 0)
        {
            doc.Heading2($"（{ChineseNumbers[n++]}）绩效监控纠偏表");
            foreach (var c in data.Corrections) doc.Body(CorrectionSentence(c));
        }
        if (data.Adjustments.Count > 0)
        {
            doc.Heading2($"（{ChineseNumbers[n]}）绩效目标调整表");
            var first = data.Adjustments[0];
            doc.Body($"调整原因及依据：{first.Reason ?? "未填报"}。原先申请资金{Money(first.OriginalAmount)}万元，计划调整后资金{Money(first.AdjustedAmount)}万元。");
            // the form lists every indicator; only those given a 调整后指标 are changed
            foreach (var a in data.Adjustments.Where(a => a.Level3 is not null && a.AdjustedTarget is not null))
                doc.Body($"{a.Level3}：原指标{a.OriginalTarget ?? "未填报"}，调整后指标{a.AdjustedTarget ?? "未填报"}"
                         + (a.Explanation is null ? "。" : $"（{a.Explanation}）。"));
        }
    }

    /// <summary>One 纠偏表 row as a sentence: the quarter, the figures as submitted, the problems and the measures.</summary>
    public static string CorrectionSentence(CorrectionRow c) =>
        $"{c.Quarter}，{c.Level3}：完成时指标值{c.FinalTarget ?? "未填报"}，本季度应完成值{c.QuarterTarget ?? "未填报"}，"
        + $"实际完成{c.Actual ?? "未填报"}，执行偏差{c.Deviation ?? "未填报"}；存在的主要问题：{c.Problems ?? "未填报"}；"
        + $"改进措施和有关建议：{c.Measures ?? "未填报"}。";

    private static void OtherMatters(OfficialDocument doc)
    {
        doc.Heading1("八、其他需要说明的问题");
        doc.Body(OtherMattersPlaceholder);
    }

    internal static string Money(decimal? amount) =>
        amount is { } a ? a.ToString("#,0.00", CultureInfo.InvariantCulture) : "—";

    internal static string LightName(string? light) => light switch
    {
        "red" => "红灯",
        "yellow" => "黄灯",
        "green" => "绿灯",
        "blue" => "蓝灯",
        _ => "未评",
    };
}
