using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Etl.Templates;

/// <summary>
/// The blank official forms <c>budgetperf templates</c> writes: Chinese labels, merged title and label cells,
/// drop-down lists for 指标性质 / 偏差原因 / 完成目标可能性 (and 季度), 万元 number formats; the project forms and the
/// 部门整体 forms (表1-2 monitoring, 表1-3-2 self-evaluation); beside them each printed layout of the two 办法 and the
/// national 自评表 (<see cref="PrintedForms"/>, files 办法表样_附件1_….xlsx) as its 办法 prints it. The reader
/// (<see cref="Reading.Forms.LayoutEngine"/>) finds everything by these labels.
/// </summary>
public static class OfficialTemplates
{
    public const int IndicatorRows = 25;

    /// <summary>File name → writer, one form per file.</summary>
    public static IReadOnlyDictionary<string, Action<SheetBuilder, int>> Forms { get; } = new Dictionary<string, Action<SheetBuilder, int>>
    {
        ["附件1_项目支出绩效监控情况表.xlsx"] = Monitoring,
        ["附件2_项目支出绩效监控纠偏表.xlsx"] = Correction,
        ["附件3_项目支出绩效目标调整表.xlsx"] = Adjustment,
        ["表2-3-2_项目预算绩效自我评价评分表.xlsx"] = SelfEvaluation,
        ["表2-2_项目支出绩效监控表.xlsx"] = CollegeMonitoring,
        ["表1-2_部门整体支出绩效监控情况表.xlsx"] = DepartmentMonitoring,
        ["表1-3-2_部门整体支出绩效自评表.xlsx"] = DepartmentSelfEvaluation,
    };

    public static IReadOnlyList<string> WriteAll(string directory, int year)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, write) in Forms)
        {
            var path = Path.Combine(directory, name);
            var xlsx = new XlsxBuilder();
            write(xlsx.Sheet(name.Contains("部门整体", StringComparison.Ordinal) ? "部门1" : "项目1"), year);
            xlsx.Save(path);
            written.Add(path);
        }
        foreach (var layout in Reading.Forms.FormLayouts.All)   // the forms as the 办法 print them
        {
            var path = Path.Combine(directory, $"办法表样_{layout.Id}_{layout.Title}.xlsx");
            var xlsx = new XlsxBuilder();
            PrintedForms.Write(xlsx.Sheet(layout.Scope == Reading.Forms.FormScope.Department ? "部门1" : "项目1"), layout,
                new FormFill { Year = year });
            xlsx.Save(path);
            written.Add(path);
        }
        return written;
    }

    // Layout rows (1-based). Each form: title, （年度）, project labels, then its blocks.
    public const int FundHeaderRow = 5, IndicatorHeaderRow = 11;

    private static void Heading(SheetBuilder s, string title, int year, int width)
    {
        Title(s, title, year, width);
        Labelled(s, 3, "项目名称", "主管部门", width);
        Labelled(s, 4, "实施单位", "项目编码", width);
    }

    private static void Title(SheetBuilder s, string title, int year, int width)
    {
        s.Text(1, 0, title, XlsxBuilder.Title).Merge(1, 0, 1, width - 1);
        s.Text(2, 0, $"（{year}年度）", XlsxBuilder.Title).Merge(2, 0, 2, width - 1);
    }

    /// <summary>The 部门整体 forms name the department (部门名称, 部门编码) where the project forms name the project.</summary>
    private static void DepartmentHeading(SheetBuilder s, string title, int year, int width)
    {
        Title(s, title, year, width);
        Labelled(s, 3, "部门名称", "部门编码", width);
    }

    /// <summary>A row of two label/value pairs, each value merged over the half of the width.</summary>
    private static void Labelled(SheetBuilder s, int row, string left, string right, int width)
    {
        var half = width / 2;
        s.Text(row, 0, left, XlsxBuilder.Bold).Text(row, 1, null).Merge(row, 1, row, half - 1);
        s.Text(row, half, right, XlsxBuilder.Bold).Text(row, half + 1, null).Merge(row, half + 1, row, width - 1);
    }

    private static void HeaderRow(SheetBuilder s, int row, string[] labels)
    {
        for (var c = 0; c < labels.Length; c++) s.Text(row, c, labels[c], XlsxBuilder.Bold);
    }

    private static void FundLines(SheetBuilder s, int firstRow, int amountColumns)
    {
        string[] lines = ["年度资金总额", "其中：本年一般公共预算拨款", "上年结转资金", "其他资金"];
        for (var i = 0; i < lines.Length; i++)
        {
            s.Text(firstRow + i, 0, lines[i], XlsxBuilder.Bold);
            for (var c = 1; c <= amountColumns; c++) s.Number(firstRow + i, c, null);
        }
    }

    private static void IndicatorBlock(SheetBuilder s, string[] labels, int comparator, int? causes, int? possibility)
    {
        HeaderRow(s, IndicatorHeaderRow, labels);
        var first = IndicatorHeaderRow + 1;
        var last = first + IndicatorRows - 1;
        for (var r = first; r <= last; r++)
            for (var c = 0; c < labels.Length; c++) s.Text(r, c, null);
        s.DropDown(first, comparator, last, CellRules.Comparators[..4]);
        if (causes is { } k) s.DropDown(first, k, last, CellRules.DeviationCauses);
        if (possibility is { } p) s.DropDown(first, p, last, CellRules.Possibilities);
        s.Text(last + 2, 0, "填表人：").Text(last + 2, 4, "联系电话：").Text(last + 2, 8, "填报日期：");
    }

    private static readonly string[] MonitoringIndicators =
        ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "1-6月指标值", "1-6月执行情况", "全年预计完成情况",
         "偏差原因", "偏差原因说明", "改进措施", "完成目标可能性", "备注"];

    public static void Monitoring(SheetBuilder s, int year)
    {
        Heading(s, "项目支出绩效监控情况表", year, MonitoringIndicators.Length);
        HeaderRow(s, FundHeaderRow, MonitoringFunds);
        FundLines(s, FundHeaderRow + 1, 6);
        IndicatorBlock(s, MonitoringIndicators, comparator: 3, causes: 9, possibility: 12);
    }

    public static void CollegeMonitoring(SheetBuilder s, int year)
    {
        string[] indicators = [.. MonitoringIndicators.Select(l => l.Replace("1-6月", "1-7月"))];
        Heading(s, "表2-2 项目支出绩效监控表", year, indicators.Length);
        HeaderRow(s, FundHeaderRow, ["项目资金", "年初预算数（万元）", "调整后预算数（万元）", "1-7月执行数（万元）", "全年预计执行数（万元）"]);
        FundLines(s, FundHeaderRow + 1, 4);
        IndicatorBlock(s, indicators, comparator: 3, causes: 9, possibility: 12);
    }

    private static readonly string[] MonitoringFunds =
        ["资金类别", "年初预算数（万元）", "调整后预算数（万元）", "1-6月计划执行数（万元）", "1-6月执行数（万元）", "全年预计执行数（万元）", "结转年数"];

    private static readonly string[] SelfEvaluationIndicators =
        ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"];

    private static readonly string[] SelfEvaluationFunds = ["资金类别", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "分值", "得分"];

    public static void SelfEvaluation(SheetBuilder s, int year)
    {
        Heading(s, "项目预算绩效自我评价评分表", year, SelfEvaluationIndicators.Length);
        HeaderRow(s, FundHeaderRow, SelfEvaluationFunds);
        FundLines(s, FundHeaderRow + 1, 5);
        IndicatorBlock(s, SelfEvaluationIndicators, comparator: 3, causes: null, possibility: null);
    }

    /// <summary>
    /// 表1-2 部门整体支出绩效监控情况表: 附件1's blocks for a whole department (一级指标 决策 / 过程 / 履职 / 效益 / 满意度).
    /// </summary>
    public static void DepartmentMonitoring(SheetBuilder s, int year)
    {
        DepartmentHeading(s, "部门整体支出绩效监控情况表", year, MonitoringIndicators.Length);
        HeaderRow(s, FundHeaderRow, MonitoringFunds);
        FundLines(s, FundHeaderRow + 1, 6);
        IndicatorBlock(s, MonitoringIndicators, comparator: 3, causes: 9, possibility: 12);
    }

    /// <summary>表1-3-2 部门整体支出绩效自评表: 表2-3-2's blocks for a whole department.</summary>
    public static void DepartmentSelfEvaluation(SheetBuilder s, int year)
    {
        DepartmentHeading(s, "部门整体支出绩效自评表", year, SelfEvaluationIndicators.Length);
        HeaderRow(s, FundHeaderRow, SelfEvaluationFunds);
        FundLines(s, FundHeaderRow + 1, 5);
        IndicatorBlock(s, SelfEvaluationIndicators, comparator: 3, causes: null, possibility: null);
    }

    public static void Correction(SheetBuilder s, int year)
    {
        string[] indicators = ["一级指标", "二级指标", "三级指标", "完成时指标值", "本季度应完成值", "实际完成", "执行偏差", "存在的主要问题", "改进措施和有关建议"];
        s.Text(1, 0, "项目支出绩效监控纠偏表", XlsxBuilder.Title).Merge(1, 0, 1, indicators.Length - 1);
        s.Text(2, 0, $"（{year}年度）", XlsxBuilder.Title).Merge(2, 0, 2, indicators.Length - 1);
        Labelled(s, 3, "项目名称", "主管部门", indicators.Length);
        Labelled(s, 4, "季度", "项目编码", indicators.Length);
        s.DropDown(4, 1, 4, ["Q1", "Q2", "Q3", "Q4"]);
        HeaderRow(s, IndicatorHeaderRow, indicators);
        var last = IndicatorHeaderRow + IndicatorRows;
        for (var r = IndicatorHeaderRow + 1; r <= last; r++)
            for (var c = 0; c < indicators.Length; c++) s.Text(r, c, null);
        s.Text(last + 2, 0, "填表人：");
    }

    public static void Adjustment(SheetBuilder s, int year)
    {
        string[] indicators = ["一级指标", "二级指标", "三级指标", "原指标", "调整后指标", "指标标准解释"];
        s.Text(1, 0, "项目支出绩效目标调整表", XlsxBuilder.Title).Merge(1, 0, 1, indicators.Length - 1);
        s.Text(2, 0, $"（{year}年度）", XlsxBuilder.Title).Merge(2, 0, 2, indicators.Length - 1);
        Labelled(s, 3, "项目名称", "主管部门", indicators.Length);
        Labelled(s, 4, "原先申请资金", "计划调整后资金", indicators.Length);
        s.Number(4, 1, null).Number(4, 4, null);
        s.Text(5, 0, "调整原因及依据", XlsxBuilder.Bold).Text(5, 1, null).Merge(5, 1, 5, indicators.Length - 1);
        Labelled(s, 6, "项目编码", "实施单位", indicators.Length);
        HeaderRow(s, IndicatorHeaderRow, indicators);
        var last = IndicatorHeaderRow + IndicatorRows;
        for (var r = IndicatorHeaderRow + 1; r <= last; r++)
            for (var c = 0; c < indicators.Length; c++) s.Text(r, c, null);
        s.Text(last + 2, 0, "填表人：");
    }
}
