namespace BudgetPerf.Warehouse.Queries;

/// <summary>One grade name in its order (dim_grade: grade_band's bands, then 未评).</summary>
public sealed class GradeName
{
    public string Grade { get; set; } = "";
    public int SortOrder { get; set; }

    /// <summary>True when a score range (grade_band) defines the grade; false for 未评.</summary>
    public bool IsBand { get; set; }
}

/// <summary>
/// 总览's 部门等级分布 and its PNG (<c>/chart/grades.png</c>) draw this one series: the year asked for, or the year
/// before it when that has no grades yet (<see cref="Year"/> says which); the departments with the most graded projects
/// (at most <see cref="OverviewQueries.GradeChartDepartments"/>, ranked in the query); the grades in dim_grade's order.
/// </summary>
public sealed record GradeChart(int Year, IReadOnlyList<GradeName> Grades, IReadOnlyList<GradeCount> Counts,
    IReadOnlyList<string> Departments)
{
    /// <summary>Per grade, the projects of each of <see cref="Departments"/> in their order.</summary>
    public IReadOnlyList<(string Grade, double[] Projects)> Series() =>
        Grades.Select(g => (g.Grade, Departments.Select(d => (double)Counts
                .Where(c => c.DepartmentRank is not null && (c.DepartmentName ?? c.DepartmentCode) == d && c.Grade == g.Grade)
                .Sum(c => c.Projects)).ToArray()))
            .ToList();

    /// <summary>Projects of one grade over every department in scope (the KPI card), not only the charted ones.</summary>
    public long Total(string grade) => Counts.Where(c => c.Grade == grade).Sum(c => c.Projects);
}
