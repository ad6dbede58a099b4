using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Warehouse.Bench;

/// <summary>The cross-filtered page queries (issue 17): 总览 and 等级 as they run after a click on a department, a light or a grade.</summary>
public sealed partial class QueryBenchmark
{
    /// <summary>The page of a cross-filtered case (the bench's summary line compares these with the unfiltered ones).</summary>
    public const string CrossPrefix = "交叉筛选";

    private async Task<(string Context, IReadOnlyList<(string Page, string Query, Func<CancellationToken, Task<int>> Run)> Cases)> CrossFilterCasesAsync(
        int year, string period, int gradeYear, int cutYear, string? department, CancellationToken ct)
    {
        // the worst banded grade (差 with the seed) and the department of the worst heatmap cell
        var grade = (await _grades.GradeNamesAsync(ct)).Where(g => g.IsBand).Select(g => g.Grade).LastOrDefault() ?? "差";
        var dept = CrossFilter.FromQuery(department, null, null) with { Year = year, Period = period, GradeYear = gradeYear };
        var red = CrossFilter.FromQuery(null, "red", null) with { Year = year, Period = period, GradeYear = gradeYear };
        var poor = CrossFilter.FromQuery(null, null, grade) with { Year = year, Period = period, GradeYear = gradeYear };
        var cases = new List<(string, string, Func<CancellationToken, Task<int>>)>();
        foreach (var (name, cross) in new[] { ("部门 " + (department ?? "—"), dept), ("红灯", red), ("等级 " + grade, poor) })
        {
            var page = $"{CrossPrefix}·总览 {name}";
            cases.Add((page, "KPI cards", async c => await _overview.KpisAsync(Scope, cross, year, period, c) is null ? 0 : 1));
            cases.Add((page, "execution trend", async c => (await _overview.TrendAsync(Scope, cross, c)).Count));
            cases.Add((page, "deviation heatmap (worst 100 departments)", async c => (await _overview.HeatmapAsync(Scope, cross, year, period, ct: c)).Count));
            cases.Add((page, "grades by department", async c => (await _overview.GradesAsync(Scope, cross, gradeYear, c)).Count));
            cases.Add((page, "uncorrected red/yellow indicators", async c => (int)await _overview.UncorrectedAsync(Scope, cross, year, period, c)));
            cases.Add((page, "cut totals (拟削减/收回 + 调整 count)", async c => (int)(await _overview.CutKpiAsync(Scope, cross, cutYear, c)).Projects));
            cases.Add((page, "region drill: 省 rows", async c => (await _regions.ChildrenAsync(Scope, cross, year, period, null, c)).Count));
            cases.Add((page, "region heatmap: 省 rows", async c => (await _regions.HeatmapAsync(Scope, cross, year, period, null, c)).Count));
            var gradePage = $"{CrossPrefix}·等级 {name}";
            cases.Add((gradePage, "transitions", async c => (await _grades.TransitionsAsync(Scope, cross, gradeYear, c)).Count));
            cases.Add((gradePage, "allocation by department", async c => (await _grades.AllocationAsync(Scope, cross, gradeYear, c)).Count));
        }
        // a transition matrix cell opened (the largest move), unfiltered
        var move = (await _grades.TransitionsAsync(Scope, CrossFilter.None, gradeYear, ct)).Where(t => t.FromGrade != t.ToGrade)
            .OrderByDescending(t => t.Projects).FirstOrDefault();
        cases.Add(("等级与预算挂钩", "transition cell: projects that moved", async c =>
            (await _grades.MovedProjectsAsync(Scope, CrossFilter.None, gradeYear, move?.FromGrade ?? "", move?.ToGrade ?? "", ct: c)).Count));
        return ($"部门 {department ?? "—"} / 红灯 / 等级 {grade}; 等级变化 {move?.FromGrade ?? "—"}→{move?.ToGrade ?? "—"}", cases);
    }
}
