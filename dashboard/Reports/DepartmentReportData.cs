using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>A red or yellow project of the department: its row, its deviating indicators and its consequence flags.</summary>
public sealed record FlaggedProject(DeviationRow Project, IReadOnlyList<IndicatorDerivationRow> Deviating, IReadOnlyList<CutCandidate> Consequences);

/// <summary>Everything the department-level 绩效监控报告 of one year and period says, read from the marts.</summary>
public sealed record DepartmentReportData(
    Department Department,
    int Year,
    string Period,
    IReadOnlyList<DeviationRow> Projects,
    IReadOnlyList<HeatmapCell> Heatmap,
    IReadOnlyList<FlaggedProject> Flagged)
{
    /// <summary>目标未经调整即变更 (常纺院 第十条): every project of the department whose target changed without an 调整表, whatever its light.</summary>
    public IReadOnlyList<CutCandidate> TargetChanges { get; init; } = [];

    /// <summary>Its projects summed at the year and period (mart_trends: budget, execution, 执行率, lights); null when none.</summary>
    public TrendRow? Totals { get; init; }

    public const string TargetChangedFlag = "目标未经调整即变更";
    /// <summary>年末执行预测 of the department at the period (mart_department_forecast); null when none.</summary>
    public DepartmentForecastRow? Forecast { get; init; }

    /// <summary>Its projects' forecasts, lowest first (mart_execution_forecast).</summary>
    public IReadOnlyList<ExecutionForecastRow> ProjectForecasts { get; init; } = [];

    /// <summary>The report's figures, or null when the department is not in the warehouse (or not in <paramref name="scope"/>).</summary>
    public static async Task<DepartmentReportData?> LoadAsync(WarehouseEngine engine, DataScope scope, string department, int year,
        string period, CancellationToken ct = default)
    {
        scope = await scope.ResolveAsync(engine, ct);
        if (!scope.Includes(department)) return null;
        var report = new ReportQueries(engine);
        var header = await report.DepartmentAsync(scope, department, ct);
        if (header is null) return null;
        var projects = await report.DepartmentProjectsAsync(scope, department, year, period, ct);
        var drill = new ProjectDrillQueries(engine);
        var flagged = new List<FlaggedProject>();
        foreach (var p in projects.Where(p => p.Warning is "red" or "yellow"))
        {
            var indicators = await report.IndicatorsAtAsync(scope, p.ProjectCode, year, period, ct);
            flagged.Add(new FlaggedProject(p, indicators.Where(i => i.Light is "red" or "yellow").ToList(),
                await drill.ConsequencesAsync(scope, p.ProjectCode, year, ct)));
        }
        var forecasts = new ForecastQueries(engine);
        return new DepartmentReportData(header, year, period, projects,
            await report.DepartmentHeatmapAsync(scope, department, year, period, ct), flagged)
        {
            Totals = await new TrendQueries(engine).DepartmentAtAsync(scope, department, year, period, ct),
            TargetChanges = await report.DepartmentFlagsAsync(scope, department, year, TargetChangedFlag, ct),
            Forecast = await forecasts.DepartmentAsync(scope, department, year, period, ct),
            ProjectForecasts = await forecasts.DepartmentProjectsAsync(scope, department, year, period, ct),
        };
    }
}
