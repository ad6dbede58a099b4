using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Warehouse.Bench;

/// <summary>
/// The page queries the first list leaves out (issue 15, readers at province scale): the rest of what 总览, 偏差排名,
/// 项目详情, 趋势 and 等级 run on every view, as the pages call them.
/// </summary>
public sealed partial class QueryBenchmark
{
    private async Task<IReadOnlyList<(string Page, string Query, Func<CancellationToken, Task<int>> Run)>> PageCasesAsync(int year, string period,
        int gradeYear, string project, string? department, CancellationToken ct)
    {
        var forecasts = new ForecastQueries(engine);
        var (firstPage, _) = await _ranking.PageAsync(new DeviationFilter { Scope = Scope, Year = year, Period = period }, null, true, 0, 25, ct);
        var codes = firstPage.Select(r => r.ProjectCode).ToList();
        return
        [
            ("总览", "grade names + grade year", async c => (await _overview.GradeNamesAsync(c)).Count + await _overview.GradeYearAsync(year, c) * 0),
            ("总览", "department name (a cross-filter chip)", async c => await _overview.DepartmentNameAsync(Scope, department ?? "", c) is null ? 0 : 1),
            ("总览", "heatmap department count", async c => (int)await _overview.HeatmapDepartmentCountAsync(Scope, year, period, c)),
            ("总览", "grade chart (top departments)", async c => (await _overview.GradeChartAsync(Scope, CrossFilter.None, gradeYear, c))?.Counts.Count ?? 0),
            ("总览", "grade totals card", async c => (await _overview.GradeTotalsAsync(Scope, CrossFilter.None, gradeYear, c)).Count),
            ("偏差排名", "year-end forecasts of the first page", async c => (await forecasts.ForProjectsAsync(Scope, year, period, codes, c)).Count),
            ("项目详情", "indicator derivation (年度)", async c => (await _drill.DerivationAsync(Scope, project, year, c)).Count),
            ("项目详情", "grade + consequences", async c =>
                (await _drill.GradeAsync(Scope, project, year, c) is null ? 0 : 1) + (await _drill.ConsequencesAsync(Scope, project, year, c)).Count),
            ("项目详情", "纠偏跟踪 + goals", async c =>
                (await _drill.CorrectionTrackingAsync(Scope, project, year, c)).Count + (await _drill.GoalsAsync(Scope, project, year, c)).Count),
            ("项目详情", "year-end forecast", async c => await forecasts.ProjectAsync(Scope, project, year, period, c) is null ? 0 : 1),
            ("趋势", "chart by department (8 largest)", async c => (await _trends.ChartAsync(Scope, "dept", null, ct: c)).Rows.Count),
            ("趋势", "chart by fund nature", async c => (await _trends.ChartAsync(Scope, "fund", null, ct: c)).Rows.Count),
            ("趋势", "chart by indicator category", async c => (await _trends.ChartAsync(Scope, "category", null, ct: c)).Rows.Count),
            ("等级与预算挂钩", "allocation totals", async c => (await _grades.AllocationTotalsAsync(Scope, CrossFilter.None, gradeYear, c)).Count),
        ];
    }
}
