using System.Globalization;
using BudgetPerf.Dashboard.Charts;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// xx项目支出绩效监控报告 (附件4 of the 杭锦旗 办法) as a Word document, with the template's headings and numbering
/// exactly: 一 组织实施 (an editable placeholder), 二（一）…（五） 基本情况, 三 预算执行 (with the chart of 执行率 against
/// 序时进度), 四（一） each indicator in the form's sentence under 1.产出（1）数量 … 3.满意度, 四（二） 原因分析 in the same
/// groups, 五（一）主要问题（二）改进措施 1–4（三）纠偏情况（四）有关建议, 六 其他需要说明的问题 (placeholder). A heading
/// with nothing under it says so.
/// </summary>
public static partial class MonitoringReport
{
    public const string OrganisationPlaceholder =
        "（此处由项目单位填写绩效监控工作的组织实施情况：绩效监控工作组织机构设置、职责分工、工作计划、计划实施情况等。本段为可编辑的占位文字，系统不生成其内容，请据实修改后删除本提示。）";

    public const string OtherMattersPlaceholder =
        "（此处由项目单位填写其他需要说明的问题，如政策变化、不可抗力等对项目实施的影响；没有的写“无”。本段为可编辑的占位文字，系统不生成其内容，请据实修改后删除本提示。）";

    /// <summary>Pixel size of the section 三 chart (drawn by ScottPlot, placed at the text width of the A4 page).</summary>
    public const int ChartWidth = 800, ChartHeight = 400;

    /// <summary>
    /// 附件4 四: 一级指标 → its 二级 categories (category values of mart_indicator_derivation) in the form's order, with the
    /// form's group title in （一） and in （二）; a group of one category (满意度) has an unnumbered line.
    /// </summary>
    private static readonly (string Completion, string Causes, (string Category, string Title)[] Categories)[] IndicatorGroups =
    [
        ("1.产出指标完成情况", "1.产出指标偏差原因分析", [("数量", "数量指标"), ("质量", "质量指标"), ("时效", "时效指标"), ("成本", "成本指标")]),
        ("2.效益指标完成情况", "2.效益指标完成情况", [("经济效益", "经济效益指标"), ("社会效益", "社会效益指标"), ("生态效益", "生态效益指标"), ("可持续影响", "可持续影响指标")]),
        ("3.满意度指标完成情况", "3.满意度指标完成情况", [("满意度", "服务对象满意度指标")]),
    ];

    /// <summary>The 偏差原因 groups of 附件1 (经费/制度/人员/硬件条件 保障, 其他), in its order.</summary>
    private static readonly string[] CauseGroups = ["经费", "制度", "人员", "硬件", "其他"];

    internal static readonly string[] ChineseNumbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    public static void Write(MonitoringReportData data, Stream stream)
    {
        using var doc = OfficialDocument.Create(stream);
        var name = data.Project.ProjectName ?? data.Project.ProjectCode;
        doc.Title($"{(name.EndsWith("项目", StringComparison.Ordinal) ? name[..^2] : name)}项目支出绩效监控报告");
        doc.Body($"（{data.Year}年{data.Period}）");
        doc.Heading1("一、绩效监控工作组织实施情况");
        doc.Body(OrganisationPlaceholder);
        BasicInformation(doc, data);
        BudgetExecution(doc, data);
        Indicators(doc, data);
        Suggestions(doc, data);
        doc.Heading1("六、其他需要说明的问题");
        doc.Body(OtherMattersPlaceholder);
    }

    private static void BasicInformation(OfficialDocument doc, MonitoringReportData data)
    {
        var p = data.Project;
        doc.Heading1("二、项目基本情况");
        doc.Heading2("（一）项目名称");
        doc.Body($"{p.ProjectName}（项目编码 {p.ProjectCode}）。主管部门：{p.DepartmentName ?? p.DepartmentCode ?? "未填报"}；"
                 + $"实施单位：{p.ImplementingUnit ?? "未填报"}。");
        doc.Heading2("（二）项目起止日期");
        doc.Body(StartEnd(p.StartDate, p.EndDate) + "。");
        doc.Heading2("（三）项目主要内容、涉及范围");
        doc.Body(p.AnnualGoal is { Length: > 0 } goal ? goal : "未填报。");
        doc.Heading2("（四）项目实施计划进度");
        doc.Body(data.Execution?.ScheduleRate is { } s
            ? $"按序时进度，截至{data.Period}应完成全年计划的{IndicatorSentence.Percent(s)}。"
            : $"{data.Year}年{data.Period}未报送预算执行情况，无法计算序时进度。");
        doc.Heading2("（五）项目资金（包括财政资金、自筹资金等）投入安排情况");
        if (data.FundLines.Count == 0)
        {
            doc.Body($"{data.Year}年{data.Period}未报送资金情况。");
            return;
        }
        doc.Body($"{data.Year}年项目资金按来源如下（万元）：");
        doc.Table(["资金类别", "年初预算数", "调整后预算数", "期间执行数"],
            data.FundLines.Select(l => (IReadOnlyList<string>)[l.FundLine, Money(l.InitialBudget), Money(l.AdjustedBudget), Money(l.Executed)]));
    }

    /// <summary>项目起止时间 as submitted; a missing date is said once (未填报 for both, or for the missing end).</summary>
    public static string StartEnd(string? start, string? end) => (start, end) switch
    {
        ({ Length: > 0 } s, { Length: > 0 } e) => $"{s}至{e}",
        ({ Length: > 0 } s, _) => $"{s}起（结束日期未填报）",
        (_, { Length: > 0 } e) => $"至{e}（开始日期未填报）",
        _ => "未填报",
    };

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
