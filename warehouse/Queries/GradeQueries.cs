using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One project's grade move between two consecutive years (e.g. 良 → 中).</summary>
public sealed class GradeTransition
{
    public string FromGrade { get; set; } = "";
    public string ToGrade { get; set; } = "";
    public long Projects { get; set; }
}

/// <summary>等级与预算挂钩: grades by year and department, transitions, allocation suggestions.</summary>
public sealed class GradeQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public Task<IReadOnlyList<int>> YearsAsync(CancellationToken ct = default) => ListAsync<int>("mart_project_grade",
        "SELECT DISTINCT fiscal_year FROM mart_project_grade ORDER BY 1 DESC", ct: ct);

    public Task<IReadOnlyList<GradeTransition>> TransitionsAsync(int year, CancellationToken ct = default) =>
        ListAsync<GradeTransition>("mart_project_grade", """
            SELECT prev.grade AS FromGrade, cur.grade AS ToGrade, CAST(COUNT(*) AS BIGINT) AS Projects
            FROM mart_project_grade cur
            INNER JOIN mart_project_grade prev ON prev.project_code = cur.project_code AND prev.fiscal_year = cur.fiscal_year - 1
            WHERE cur.fiscal_year = @year
            GROUP BY prev.grade, cur.grade
            ORDER BY prev.grade, cur.grade
            """, new { year }, ct);

    public GridQuery Whole(int? year) => new("mart_project_grade", """
        SELECT g.* FROM mart_project_grade g
        WHERE (@year IS NULL OR g.fiscal_year = @year)
        ORDER BY g.fiscal_year DESC, g.department_code, g.project_code
        """, new { year });
}
