using System.Globalization;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 附件2 项目支出绩效监控纠偏表 and 附件3 项目支出绩效目标调整表, prefilled: the official blank layout of
/// <see cref="OfficialTemplates"/> (the one the intake reads by its label cells) with the project, its indicators, their
/// targets, the period's expected and actual values and the 偏差率 of mart_indicator_derivation (the same numbers as
/// section 四 of the report). What only the department can say (问题, 措施, 调整后指标, 调整原因) is left to complete.
/// </summary>
public static class CorrectionForms
{
    private const int FirstIndicatorRow = OfficialTemplates.IndicatorHeaderRow + 1;

    /// <summary>The value the period should have reached, with the target's unit (期间应完成), or the submitted period target.</summary>
    public static string? ExpectedText(IndicatorDerivationRow row) =>
        row.ExpectedValue is { } e
            ? Number(e) + (row.TargetUnit ?? row.Unit ?? "")
            : row.PeriodTarget;

    /// <summary>偏差率 as in section 四 (signed, 超前 / 滞后), or null when it cannot be computed.</summary>
    public static string? DeviationText(IndicatorDerivationRow row) => IndicatorSentence.Deviation(row);

    public static void WriteCorrection(MonitoringReportData data, Stream stream)
    {
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("纠偏表");
        OfficialTemplates.Correction(s, data.Year);
        var p = data.Project;
        s.Text(3, 1, p.ProjectName ?? p.ProjectCode).Text(3, 5, p.DepartmentName ?? p.DepartmentCode);
        s.Text(4, 1, data.Quarter).Text(4, 5, p.ProjectCode);
        var rows = data.Indicators;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var problems = string.Join("；", new[] { row.DeviationCauses, row.CauseNote }.Where(t => !string.IsNullOrWhiteSpace(t)));
            string?[] cells =
            [
                row.Level1, row.Level2, row.Level3, IndicatorSentence.TargetText(row), ExpectedText(row),
                string.IsNullOrWhiteSpace(row.PeriodActual) ? null : IndicatorSentence.ActualText(row), DeviationText(row),
                problems.Length == 0 ? null : problems, row.Improvement,
            ];
            for (var c = 0; c < cells.Length; c++) s.Text(FirstIndicatorRow + i, c, cells[c]);
        }
        MoveFooter(s, rows.Count);
        xlsx.Save(stream);
    }

    public static void WriteAdjustment(MonitoringReportData data, Stream stream)
    {
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("调整表");
        OfficialTemplates.Adjustment(s, data.Year);
        var p = data.Project;
        s.Text(3, 1, p.ProjectName ?? p.ProjectCode).Text(3, 4, p.DepartmentName ?? p.DepartmentCode);
        s.Number(4, 1, data.Execution?.Budget is { } budget ? budget / 1.0000000000000000000000000000m : null);   // 200.0000 → 200
        s.Text(6, 1, p.ProjectCode).Text(6, 4, p.ImplementingUnit);
        var rows = data.Indicators;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string?[] cells = [row.Level1, row.Level2, row.Level3, IndicatorSentence.TargetText(row), null, null];
            for (var c = 0; c < cells.Length; c++) s.Text(FirstIndicatorRow + i, c, cells[c]);
        }
        MoveFooter(s, rows.Count);
        xlsx.Save(stream);
    }

    /// <summary>More indicators than the printed lines: the 填表人 line moves below the last one.</summary>
    private static void MoveFooter(SheetBuilder s, int indicators)
    {
        if (indicators <= OfficialTemplates.IndicatorRows) return;
        s.Text(FirstIndicatorRow + OfficialTemplates.IndicatorRows + 1, 0, null);
        s.Text(FirstIndicatorRow + indicators + 1, 0, "填表人：");
    }

    private static string Number(decimal value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);
}
