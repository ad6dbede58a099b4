using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One project's grade move between two consecutive years (e.g. 良 → 中).</summary>
public sealed class GradeTransition
{
    public string FromGrade { get; set; } = "";
    public string ToGrade { get; set; } = "";
    public long Projects { get; set; }
}

/// <summary>A project that moved from one grade to another (a cell of the transition matrix opened).</summary>
public sealed class MovedProject
{
    public string ProjectCode { get; set; } = "";
    public string? ProjectName { get; set; }
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }
    public string FromGrade { get; set; } = "";
    public string ToGrade { get; set; } = "";
    /// <summary>本年预算 (万元).</summary>
    public decimal? Budget { get; set; }
}

/// <summary>
/// 预算安排建议 of one department and one consequence flag: the projects, the amount they concern and the suggested
/// change in 万元 (mart_cut_candidates.suggested_change; negative = cut). <see cref="Flag"/> is <see cref="GradeQueries.NetFlag"/>
/// on the department's net line, where a project with several flags counts once, with its largest cut.
/// </summary>
public sealed class AllocationSuggestion
{
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }
    public string Flag { get; set; } = "";
    public long Projects { get; set; }
    public decimal? Amount { get; set; }
    public decimal? SuggestedChange { get; set; }
}

/// <summary>等级与预算挂钩: grades by year and department, transitions, allocation suggestions.</summary>
public sealed class GradeQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public Task<IReadOnlyList<int>> YearsAsync(CancellationToken ct = default) => ListAsync<int>("mart_project_grade",
        "SELECT DISTINCT fiscal_year FROM mart_project_grade ORDER BY 1 DESC", ct: ct);

    /// <summary>
    /// The grades in display order (dim_grade: grade_band's bands by sort_order, then 未评) — the names and order come
    /// from the seed, never from a list in code.
    /// </summary>
    public Task<IReadOnlyList<GradeName>> GradeNamesAsync(CancellationToken ct = default) =>
        ListAsync<GradeName>("dim_grade",
            "SELECT grade, sort_order, is_band FROM dim_grade ORDER BY sort_order", null, ct);

    public Task<IReadOnlyList<GradeTransition>> TransitionsAsync(DataScope scope, int year, CancellationToken ct = default) =>
        TransitionsAsync(scope, CrossFilter.None, year, ct);

    /// <summary>The transition matrix (上年等级 × 本年等级) of the year: projects per pair (mart_grade_transition).</summary>
    public Task<IReadOnlyList<GradeTransition>> TransitionsAsync(DataScope scope, CrossFilter cross, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "t.department_code", new { year });
        var crossed = cross.Condition(p, "t.department_code", "t.project_code");
        return ListAsync<GradeTransition>("mart_grade_transition", $"""
            SELECT t.from_grade, t.to_grade, CAST(COUNT(*) AS BIGINT) AS projects
            FROM mart_grade_transition t
            WHERE t.fiscal_year = @year AND {inScope} AND {crossed}
            GROUP BY t.from_grade, t.to_grade, t.from_grade_order, t.to_grade_order
            ORDER BY t.from_grade_order, t.to_grade_order
            """, p, ct);
    }

    /// <summary>The projects of one cell of the transition matrix, largest budget first.</summary>
    public Task<IReadOnlyList<MovedProject>> MovedProjectsAsync(DataScope scope, CrossFilter cross, int year, string fromGrade, string toGrade,
        int limit = 500, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "t.department_code", new { year, from = fromGrade, to = toGrade, limit = Math.Clamp(limit, 1, 5000) });
        var crossed = cross.Condition(p, "t.department_code", "t.project_code");
        return ListAsync<MovedProject>("mart_grade_transition", $"""
            SELECT t.project_code, t.project_name, t.department_code,
                   t.department_name, t.from_grade, t.to_grade, t.budget
            FROM mart_grade_transition t
            WHERE t.fiscal_year = @year AND t.from_grade = @from AND t.to_grade = @to AND {inScope} AND {crossed}
            ORDER BY t.budget DESC NULLS LAST, t.project_code
            LIMIT @limit
            """, p, ct);
    }

    /// <summary>The net line's flag in <see cref="AllocationAsync"/> (the literal in its SQL).</summary>
    public const string NetFlag = "合计";

    /// <summary>预算安排建议 by department and flag (from mart_cut_candidates), plus each department's net line.</summary>
    public Task<IReadOnlyList<AllocationSuggestion>> AllocationAsync(DataScope scope, int year, CancellationToken ct = default) =>
        AllocationAsync(scope, CrossFilter.None, year, ct);

    public Task<IReadOnlyList<AllocationSuggestion>> AllocationAsync(DataScope scope, CrossFilter cross, int year, CancellationToken ct = default) =>
        AllocationLinesAsync(scope, cross, year, byDepartment: true, ct);

    /// <summary>
    /// The 全部部门 line of 预算安排建议: per flag (and <see cref="NetFlag"/>) the projects and Σ suggested change over
    /// every department in scope and in the cross-filter (0 where no line moves money); DepartmentCode is null.
    /// </summary>
    public Task<IReadOnlyList<AllocationSuggestion>> AllocationTotalsAsync(DataScope scope, CrossFilter cross, int year,
        CancellationToken ct = default) => AllocationLinesAsync(scope, cross, year, byDepartment: false, ct);

    private Task<IReadOnlyList<AllocationSuggestion>> AllocationLinesAsync(DataScope scope, CrossFilter cross, int year, bool byDepartment,
        CancellationToken ct)
    {
        var (inScope, p) = Scoped(scope, "c.department_code", new { year });
        inScope += " AND " + cross.Condition(p, "c.department_code", "c.project_code");
        var select = byDepartment
            ? """
              SELECT p.department_code, MIN(dep.department_name) AS department_name, l.flag,
                     CAST(COUNT(*) AS BIGINT) AS projects, SUM(l.amount) AS amount, SUM(l.suggested_change) AS suggested_change
              FROM lines l
              LEFT JOIN dim_project p ON p.project_code = l.project_code
              LEFT JOIN dim_department dep ON dep.department_code = p.department_code
              GROUP BY p.department_code, l.flag
              ORDER BY p.department_code, l.flag
              """
            : """
              SELECT l.flag, CAST(COUNT(*) AS BIGINT) AS projects, SUM(l.amount) AS amount,
                     COALESCE(SUM(l.suggested_change), 0) AS suggested_change
              FROM lines l
              GROUP BY l.flag
              ORDER BY l.flag
              """;
        return ListAsync<AllocationSuggestion>("mart_cut_candidates", $"""
            WITH candidates AS (
                SELECT c.project_code, c.flag, c.amount, c.suggested_change
                FROM mart_cut_candidates c
                WHERE c.fiscal_year = @year AND {inScope}
            ),
            by_project AS (
                SELECT project_code, '合计' AS flag, MAX(amount) AS amount, MIN(suggested_change) AS suggested_change
                FROM candidates
                GROUP BY project_code
            ),
            lines AS (
                SELECT * FROM candidates UNION ALL SELECT * FROM by_project
            )
            {select}
            """, p, ct);
    }

    /// <summary>The allocation lines of a year, for export.</summary>
    public GridQuery WholeAllocation(DataScope scope, int? year)
    {
        var (inScope, p) = Scoped(scope, "c.department_code", new { year });
        return new("mart_cut_candidates", $"""
        SELECT c.fiscal_year, p.department_code, dep.department_name, c.flag,
               CAST(COUNT(*) AS BIGINT) AS projects, SUM(c.amount) AS amount,
               SUM(c.suggested_change) AS suggested_change
        FROM mart_cut_candidates c
        LEFT JOIN dim_project p ON p.project_code = c.project_code
        LEFT JOIN dim_department dep ON dep.department_code = p.department_code
        WHERE (@year IS NULL OR c.fiscal_year = @year) AND {inScope}
        GROUP BY c.fiscal_year, p.department_code, dep.department_name, c.flag
        ORDER BY c.fiscal_year DESC, p.department_code, c.flag
        """, p);
    }

    public GridQuery Whole(DataScope scope, int? year)
    {
        var (inScope, p) = Scoped(scope, "g.department_code", new { year });
        return new("mart_project_grade", $"""
            SELECT g.* FROM mart_project_grade g
            WHERE (@year IS NULL OR g.fiscal_year = @year) AND {inScope}
            ORDER BY g.fiscal_year DESC, g.department_code, g.project_code
            """, p);
    }
}
