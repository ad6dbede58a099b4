using System.Globalization;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 附件2 绩效运行监控目标纠偏表 and 附件3 绩效运行监控目标调整表, prefilled: the layouts the county's 办法 prints
/// (<see cref="PrintedForms"/>, read back by the same layout engine as any printed form) with the project, its
/// indicators, their targets, the period's expected and actual values and the 偏差率 of mart_indicator_derivation (the
/// same numbers as section 四 of the report). What only the department can say (调整原因, 调整后指标 …) is left to complete.
/// </summary>
public static class CorrectionForms
{

    /// <summary>The value the period should have reached, with the target's unit (期间应完成), or the submitted period target.</summary>
    public static string? ExpectedText(IndicatorDerivationRow row) =>
        row.ExpectedValue is { } e
            ? Number(e) + (row.TargetUnit ?? row.Unit ?? "")
            : row.PeriodTarget;

    /// <summary>偏差率 as in section 四 (signed, 超前 / 滞后), or null when it cannot be computed.</summary>
    public static string? DeviationText(IndicatorDerivationRow row) => IndicatorSentence.Deviation(row);

    /// <summary>
    /// 附件2 as the county's 办法 prints it (<see cref="FormLayouts.Annex2"/>): （年 季度）, 填报单位（盖章）：/ 项目（政策）名称：
    /// in one cell each, the project's indicators under 一级目标 … 执行偏差 (without the empty skeleton rows), and the
    /// deviation causes and measures the monitoring form gave in the 存在的主要问题 / 改进措施和有关建议 rows under the grid.
    /// </summary>
    public static void WriteCorrection(MonitoringReportData data, Stream stream)
    {
        var p = data.Project;
        // a period that names no month (全年) ends in the fourth quarter
        var fill = new FormFill { Year = data.Year, Quarter = data.Quarter is { } q ? q[1] - '0' : 4 };
        fill.Head["填报单位"] = p.DepartmentName ?? p.DepartmentCode ?? "";
        fill.Head["项目名称"] = p.ProjectName ?? p.ProjectCode;
        foreach (var row in data.Indicators)
            fill.Indicators.Add(Indicator(row, ("完成时指标值", IndicatorSentence.TargetText(row)), ("本季度应完成值", ExpectedText(row)),
                ("实际完成", string.IsNullOrWhiteSpace(row.PeriodActual) ? null : IndicatorSentence.ActualText(row)), ("执行偏差", DeviationText(row))));
        if (Numbered(data.Indicators, r => string.Join("；", new[] { r.DeviationCauses, r.CauseNote }.Where(t => !string.IsNullOrWhiteSpace(t)))) is { } problems)
            fill.Texts["存在的主要问题"] = problems;
        if (Numbered(data.Indicators, r => r.Improvement) is { } measures) fill.Texts["改进措施和有关建议"] = measures;
        Save(FormLayouts.Annex2, "纠偏表", fill, stream);
    }

    /// <summary>
    /// 附件3 as printed (<see cref="FormLayouts.Annex3"/>): the project, its budget as 原先申请资金 (under its caption, 万元
    /// format), every indicator with its 原指标; 调整原因, 调整后预期目标, 调整后指标 are left to the department.
    /// </summary>
    public static void WriteAdjustment(MonitoringReportData data, Stream stream)
    {
        var p = data.Project;
        var fill = new FormFill { Year = data.Year };
        fill.Head["填报单位"] = p.DepartmentName ?? p.DepartmentCode ?? "";
        fill.Head["项目名称"] = p.ProjectName ?? p.ProjectCode;
        if (data.Execution?.Budget is { } budget) fill.Head["原先申请资金"] = Number(budget);
        foreach (var row in data.Indicators) fill.Indicators.Add(Indicator(row, ("原指标", IndicatorSentence.TargetText(row))));
        Save(FormLayouts.Annex3, "调整表", fill, stream);
    }

    private static IndicatorFill Indicator(IndicatorDerivationRow row, params (string Field, string? Value)[] values) =>
        new(row.Level1 ?? "", row.Level2 ?? "", row.Level3 ?? "",
            values.Where(v => v.Value is not null).ToDictionary(v => v.Field, v => v.Value!));

    /// <summary>"1. 指标：text" per indicator that has a text, one a line; null when none has.</summary>
    private static string? Numbered(IReadOnlyList<IndicatorDerivationRow> rows, Func<IndicatorDerivationRow, string?> text)
    {
        var lines = rows.Select(r => (r.Level3, Text: text(r))).Where(x => !string.IsNullOrWhiteSpace(x.Text))
            .Select((x, i) => $"{i + 1}. {x.Level3}：{x.Text}").ToList();
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>The printed layout with the project's rows only (no empty skeleton rows), drop-downs and 万元 formats.</summary>
    private static void Save(FormLayout layout, string sheet, FormFill fill, Stream stream)
    {
        var xlsx = new XlsxBuilder();
        PrintedForms.Write(xlsx.Sheet(sheet), layout, fill, new PrintOptions(Skeleton: false, DropDowns: true));
        xlsx.Save(stream);
    }

    private static string Number(decimal value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);
}
