using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>Everything the 项目支出绩效监控报告 of one project at one monitoring period says, read from the marts
/// (<see cref="Quarter"/>: the quarter the period ends in, from dim_period — the 季度 of the 纠偏表).</summary>
public sealed record MonitoringReportData(
    ProjectHeader Project,
    int Year,
    string Period,
    DeviationRow? Execution,
    IReadOnlyList<DeviationRow> ExecutionSeries,
    IReadOnlyList<BudgetLine> FundLines,
    IReadOnlyList<IndicatorDerivationRow> Indicators,
    IReadOnlyList<CutCandidate> Consequences,
    IReadOnlyList<CorrectionRow> Corrections,
    IReadOnlyList<AdjustmentRow> Adjustments,
    string? Quarter)
{
    /// <summary>The report's figures, or null when the project is not in the warehouse (or not in <paramref name="scope"/>).</summary>
    public static async Task<MonitoringReportData?> LoadAsync(WarehouseEngine engine, string project, int year, string period,
        CancellationToken ct = default) => await LoadAsync(engine, DataScope.All, project, year, period, ct);

    public static async Task<MonitoringReportData?> LoadAsync(WarehouseEngine engine, DataScope scope, string project, int year,
        string period, CancellationToken ct = default)
    {
        var drill = new ProjectDrillQueries(engine);
        var header = await drill.HeaderAsync(scope, project, ct);
        if (header is null) return null;
        var report = new ReportQueries(engine);
        return new MonitoringReportData(header, year, period,
            await report.DeviationAtAsync(scope, project, year, period, ct),
            await report.ExecutionSeriesAsync(scope, project, year, period, ct),
            await drill.BudgetLinesAsync(scope, project, year, period, ct),
            await report.IndicatorsAtAsync(scope, project, year, period, ct),
            await drill.ConsequencesAsync(scope, project, year, ct),
            await report.CorrectionsAsync(scope, project, year, ct),
            await report.AdjustmentsAsync(scope, project, year, ct),
            await report.QuarterAsync(year, period, ct));
    }
}
