using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>The year-end grade of the subject, the same for a project (mart_project_grade) and a department (mart_department_grade).</summary>
public sealed record EvaluationGrade(
    decimal? Budget, decimal? Executed, decimal? ExecutionRate, decimal? BudgetScore, decimal? IndicatorScore,
    decimal? RecomputedScore, decimal? PublishedScore, decimal? ScoreGap, bool HasScoreGap, string Grade, string? Flags, int? ScoreRank);

/// <summary>
/// What the 绩效评价结果反馈书 says: the project (表2-B) or the department as a whole (表1-B), its grade, when the
/// self-evaluation was submitted, the indicator scores, and the 预算安排建议 flags (the project's, or its projects').
/// </summary>
public sealed record FeedbackData(
    bool IsDepartment,
    string Code,
    string Name,
    string? DepartmentName,
    string? ImplementingUnit,
    int Year,
    EvaluationGrade? Grade,
    DateTime? EvaluatedAt,
    IReadOnlyList<IndicatorScoreRow> Scores,
    IReadOnlyList<CutCandidate> Flags,
    string? StartDate = null,
    string? EndDate = null)
{
    public static async Task<FeedbackData?> ForProjectAsync(WarehouseEngine engine, DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var drill = new ProjectDrillQueries(engine);
        var header = await drill.HeaderAsync(scope, project, ct);
        if (header is null) return null;
        var report = new ReportQueries(engine);
        var g = await drill.GradeAsync(scope, project, year, ct);
        return new FeedbackData(false, project, header.ProjectName ?? project, header.DepartmentName ?? header.DepartmentCode,
            header.ImplementingUnit, year,
            g is null ? null : new EvaluationGrade(g.Budget, g.Executed, g.ExecutionRate, g.BudgetScore, g.IndicatorScore,
                g.RecomputedScore, g.PublishedScore, g.ScoreGap, g.HasScoreGap, g.Grade, g.Flags, null),
            await report.SelfEvaluationLoadedAsync(scope, "project", project, year, ct),
            await report.IndicatorScoresAsync(scope, "project", project, year, ct),
            await drill.ConsequencesAsync(scope, project, year, ct),
            header.StartDate, header.EndDate);
    }

    public static async Task<FeedbackData?> ForDepartmentAsync(WarehouseEngine engine, DataScope scope, string department, int year,
        CancellationToken ct = default)
    {
        scope = await scope.ResolveAsync(engine, ct);
        if (!scope.Includes(department)) return null;
        var report = new ReportQueries(engine);
        var header = await report.DepartmentAsync(scope, department, ct);
        if (header is null) return null;
        var g = await report.DepartmentGradeAsync(scope, department, year, ct);
        return new FeedbackData(true, department, header.DepartmentName, header.DepartmentName, null, year,
            g is null ? null : new EvaluationGrade(g.Budget, g.Executed, g.ExecutionRate, g.BudgetScore, g.IndicatorScore,
                g.RecomputedScore, g.PublishedScore, g.ScoreGap, g.HasScoreGap, g.Grade, g.Flags, g.ScoreRank),
            await report.SelfEvaluationLoadedAsync(scope, "department", department, year, ct),
            await report.IndicatorScoresAsync(scope, "department", department, year, ct),
            await report.DepartmentCutsAsync(scope, department, year, ct));
    }
}
