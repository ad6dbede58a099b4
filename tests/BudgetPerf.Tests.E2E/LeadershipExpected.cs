using BudgetPerf.Warehouse.Engines.DuckDb;
using Dapper;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// What the leadership pages must show on the three-year demo (issue 17), read from the marts directly with plain SQL
/// (never through the query layer the pages use), before the server opens the file: the 总览 view a user lands on
/// (latest monitoring year, its first period; grades of the latest graded year), the department the test clicks in
/// the grade chart (the one with the most graded projects), and the transition matrix's fullest off-diagonal cell in that department's 县.
/// </summary>
public sealed record LeadershipExpected
{
    public int Year { get; init; }
    public string Period { get; init; } = "";
    public int GradeYear { get; init; }
    public long Projects { get; init; }
    public long RedProjects { get; init; }
    public decimal RedBudget { get; init; }

    /// <summary>The department clicked, its projects and budget at (Year, Period), and its heatmap cells (category → mean_shortfall).</summary>
    public string Department { get; init; } = "";
    public long DepartmentProjects { get; init; }
    public decimal DepartmentBudget { get; init; }
    public IReadOnlyDictionary<string, decimal> DepartmentHeatmap { get; init; } = new Dictionary<string, decimal>();
    /// <summary>The department's projects graded both in GradeYear − 1 and GradeYear (its transition matrix total).</summary>
    public long DepartmentTransitions { get; init; }
    /// <summary>The department's 县 (dim_department.county_code): below it the grade chart and the heatmap have department rows.</summary>
    public string DepartmentCounty { get; init; } = "";

    /// <summary>
    /// 总览's grade card, unfiltered: projects per 优/良/中/差 of GradeYear joined by "/" — counted here in C# from the
    /// projects' grades, the page reads the query layer's GROUP BY.
    /// </summary>
    public string GradeCard { get; init; } = "";

    /// <summary>The 执行率 / 序时进度 card's red: round(Σ执行数 ÷ Σ预算数, 4) below 序时进度, worked out here in C#.</summary>
    public bool BehindSchedule { get; init; }

    /// <summary>A department the 部门 user may not see.</summary>
    public string OtherDepartment { get; init; } = "";

    /// <summary>The fullest cell of the matrix whose grades differ, and its projects.</summary>
    public string MovedFrom { get; init; } = "";
    public string MovedTo { get; init; } = "";
    public IReadOnlyList<string> MovedProjects { get; init; } = [];

    public static async Task<LeadershipExpected> ComputeAsync(DuckDbEngine engine, string userDepartment)
    {
        await using var c = await engine.OpenAsync();
        // the landing view: the latest year, its first period by dim_period.sort_order
        var (year, period) = await c.QuerySingleAsync<(int, string)>("""
            SELECT d.fiscal_year, d.period FROM mart_project_deviation d
            LEFT JOIN dim_period p ON p.fiscal_year = d.fiscal_year AND p.period = d.period
            GROUP BY d.fiscal_year, d.period ORDER BY d.fiscal_year DESC, COALESCE(MIN(p.sort_order), 0), d.period LIMIT 1
            """);
        var gradeYear = await c.ExecuteScalarAsync<int>("SELECT MAX(fiscal_year) FROM mart_project_grade WHERE fiscal_year <= $year", new { year });
        var totals = await c.QuerySingleAsync<(long, long, decimal)>("""
            SELECT COUNT(*), COUNT(CASE WHEN warning = 'red' THEN 1 END), COALESCE(SUM(CASE WHEN warning = 'red' THEN budget END), 0)
            FROM mart_project_deviation WHERE fiscal_year = $year AND period = $period
            """, new { year, period });
        var department = await c.ExecuteScalarAsync<string>("""
            SELECT department_code FROM mart_project_grade WHERE fiscal_year = $gradeYear
            GROUP BY department_code ORDER BY COUNT(*) DESC, department_code LIMIT 1
            """, new { gradeYear });
        var dept = await c.QuerySingleAsync<(long, decimal)>("""
            SELECT COUNT(*), COALESCE(SUM(budget), 0) FROM mart_project_deviation
            WHERE fiscal_year = $year AND period = $period AND department_code = $department
            """, new { year, period, department });
        var heatmap = (await c.QueryAsync<(string, decimal)>("""
            SELECT indicator_category, mean_shortfall FROM mart_department_heatmap
            WHERE fiscal_year = $year AND period = $period AND department_code = $department AND mean_shortfall IS NOT NULL
            """, new { year, period, department })).ToDictionary(r => r.Item1, r => r.Item2);
        var transitions = await c.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM mart_project_grade cur
            INNER JOIN mart_project_grade prev ON prev.project_code = cur.project_code AND prev.fiscal_year = cur.fiscal_year - 1
            WHERE cur.fiscal_year = $gradeYear AND cur.department_code = $department
            """, new { gradeYear, department });
        var county = await c.ExecuteScalarAsync<string>("SELECT county_code FROM dim_department WHERE department_code = $department", new { department });
        var other = await c.ExecuteScalarAsync<string>("""
            SELECT department_code FROM mart_project_deviation WHERE fiscal_year = $year AND period = $period AND department_code <> $mine
            GROUP BY department_code ORDER BY department_code LIMIT 1
            """, new { year, period, mine = userDepartment });
        var bands = (await c.QueryAsync<string>("SELECT grade FROM dim_grade WHERE is_band ORDER BY sort_order")).ToList();
        var graded = (await c.QueryAsync<string>("SELECT grade FROM mart_project_grade WHERE fiscal_year = $gradeYear", new { gradeYear })).ToList();
        var sums = await c.QuerySingleAsync<(decimal?, decimal?, decimal?)>("""
            SELECT SUM(executed), SUM(budget), MAX(schedule_rate) FROM mart_project_deviation WHERE fiscal_year = $year AND period = $period
            """, new { year, period });
        var rate = sums.Item2 is { } b && b != 0 ? Math.Round(sums.Item1!.Value / b, 4, MidpointRounding.AwayFromZero) : (decimal?)null;
        // the moves, from mart_project_grade itself (the matrix's mart is what is under test)
        var moves = (await c.QueryAsync<(string From, string To, string Project)>("""
            SELECT prev.grade, cur.grade, cur.project_code FROM mart_project_grade cur
            INNER JOIN mart_project_grade prev ON prev.project_code = cur.project_code AND prev.fiscal_year = cur.fiscal_year - 1
            WHERE cur.fiscal_year = $gradeYear AND prev.grade <> cur.grade
              AND cur.department_code IN (SELECT department_code FROM dim_department WHERE county_code = $county)
            """, new { gradeYear, county })).ToList();
        var fullest = moves.GroupBy(m => (m.From, m.To)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.From).ThenBy(g => g.Key.To).FirstOrDefault();
        return new LeadershipExpected
        {
            Year = year, Period = period, GradeYear = gradeYear,
            Projects = totals.Item1, RedProjects = totals.Item2, RedBudget = totals.Item3,
            Department = department ?? "", DepartmentProjects = dept.Item1, DepartmentBudget = dept.Item2,
            DepartmentHeatmap = heatmap, DepartmentTransitions = transitions, DepartmentCounty = county ?? "", OtherDepartment = other ?? "",
            GradeCard = string.Join("/", bands.Select(band => graded.Count(g => g == band))),
            BehindSchedule = rate < sums.Item3,
            MovedFrom = fullest?.Key.From ?? "", MovedTo = fullest?.Key.To ?? "",
            MovedProjects = fullest?.Select(m => m.Project).Order(StringComparer.Ordinal).ToList() ?? [],
        };
    }
}

/// <summary>The dashboard over a three-year demo: two years of 自评 grades, so a year-on-year transition exists.</summary>
public sealed class LeadershipDashboardFixture : DashboardFixture
{
    protected override int DemoYears => 3;

    public LeadershipExpected? Expected { get; private set; }

    protected override async Task BeforeServeAsync(DuckDbEngine engine) =>
        Expected = await LeadershipExpected.ComputeAsync(engine, (await new BudgetPerf.Warehouse.Queries.RankingQueries(engine)
            .DepartmentsAsync(BudgetPerf.Warehouse.Security.DataScope.All))[0].DepartmentCode);
}

[CollectionDefinition(Name)]
public sealed class LeadershipDashboardCollection : ICollectionFixture<LeadershipDashboardFixture>
{
    public const string Name = "leadership dashboard";
}
