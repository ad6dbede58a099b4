using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>The KPI cards of one year and period.</summary>
public sealed class OverviewKpis
{
    public long Projects { get; set; }

    /// <summary>预算总额 (万元).</summary>
    public decimal? Budget { get; set; }

    /// <summary>执行数 (万元).</summary>
    public decimal? Executed { get; set; }

    /// <summary>序时进度.</summary>
    public decimal? ScheduleRate { get; set; }
    public long RedCount { get; set; }
    public long YellowCount { get; set; }
    public long GreenCount { get; set; }

    /// <summary>执行率 = Σ执行数 / Σ预算数, by the warehouse's execution_rate() (migration 0185).</summary>
    public decimal? ExecutionRate { get; set; }

    /// <summary>落后序时进度: 执行率 below 序时进度 (false when either is unknown), computed by the KPI query; the card shows it red.</summary>
    public bool BehindSchedule { get; set; }
}

/// <summary>One point of the execution trend (all departments).</summary>
public sealed class TrendPoint
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public decimal? ScheduleRate { get; set; }

    /// <summary>执行率 = Σ执行数 / Σ预算数, by the warehouse's execution_rate() (migration 0185).</summary>
    public decimal? ExecutionRate { get; set; }
    public string Label => $"{FiscalYear} {Period}";
}

/// <summary>One cell of the deviation heatmap (部门 × 指标类别).</summary>
public sealed class HeatmapCell
{
    public string DepartmentCode { get; set; } = "";
    public string? DepartmentName { get; set; }
    public string IndicatorCategory { get; set; } = "";
    public long IndicatorCount { get; set; }
    public decimal? MeanShortfall { get; set; }
    public long RedCount { get; set; }
}

/// <summary>Count of projects of one grade (优良中差未评) in one department.</summary>
public sealed class GradeCount
{
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }
    public string Grade { get; set; } = "";
    public long Projects { get; set; }

    /// <summary>The department's place by graded projects (1 = most; ties by code) within the grade chart's top
    /// <see cref="OverviewQueries.GradeChartDepartments"/>, else null (<see cref="OverviewQueries.GradeChartAsync"/> only).</summary>
    public long? DepartmentRank { get; set; }
}

/// <summary>总览: KPIs, trend, heatmap and grades for leadership.</summary>
public sealed class OverviewQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public Task<OverviewKpis?> KpisAsync(DataScope scope, int year, string period, CancellationToken ct = default) =>
        KpisAsync(scope, CrossFilter.None, year, period, ct);

    public Task<OverviewKpis?> KpisAsync(DataScope scope, CrossFilter cross, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { year, period });
        var crossed = cross.Condition(p, "department_code", "project_code");
        return SingleAsync<OverviewKpis>(ProjectDeviationRows, $"""
            SELECT k.projects, k.budget, k.executed, k.execution_rate, k.schedule_rate, k.red_count, k.yellow_count, k.green_count,
                   CASE WHEN k.execution_rate < k.schedule_rate THEN TRUE ELSE FALSE END AS behind_schedule
            FROM (
                SELECT CAST(COUNT(*) AS BIGINT) AS projects, SUM(budget) AS budget, SUM(executed) AS executed,
                       execution_rate(SUM(executed), SUM(budget)) AS execution_rate, MAX(schedule_rate) AS schedule_rate,
                       CAST(SUM(CASE WHEN warning = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS red_count,
                       CAST(SUM(CASE WHEN warning = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS yellow_count,
                       CAST(SUM(CASE WHEN warning IN ('green', 'blue') THEN 1 ELSE 0 END) AS BIGINT) AS green_count
                FROM {ProjectDeviationRows}
                WHERE fiscal_year = @year AND period = @period AND {inScope} AND {crossed}
            ) k
            """, p, ct);
    }

    /// <summary>Execution against 序时进度 for every year and period (mart_trends summed over the departments in scope).</summary>
    public Task<IReadOnlyList<TrendPoint>> TrendAsync(DataScope scope, CancellationToken ct = default) =>
        TrendAsync(scope, CrossFilter.None, ct);

    /// <summary>The trend of the cross-filter's projects: by light or grade it is summed from mart_project_deviation's projects.</summary>
    public Task<IReadOnlyList<TrendPoint>> TrendAsync(DataScope scope, CrossFilter cross, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "t.department_code");
        var crossed = cross.Condition(p, "t.department_code", "t.project_code");
        return ListAsync<TrendPoint>("mart_trends", $"""
            SELECT t.fiscal_year AS fiscal_year, t.period AS period, SUM(t.budget) AS budget, SUM(t.executed) AS executed,
                   execution_rate(SUM(t.executed), SUM(t.budget)) AS execution_rate, MAX(t.schedule_rate) AS schedule_rate
            FROM {(cross.ByProject ? ProjectDeviationRows : "mart_trends")} t
            LEFT JOIN dim_period p ON p.fiscal_year = t.fiscal_year AND p.period = t.period
            WHERE {inScope} AND {crossed}
            GROUP BY t.fiscal_year, t.period
            ORDER BY t.fiscal_year, MIN(p.sort_order), t.period
            """, p, ct);
    }

    /// <summary>Departments the overview's heatmap shows at most (a province has ≈10,000; a county ≈80 shows whole).</summary>
    public const int HeatmapDepartments = 100;

    /// <summary>
    /// The heatmap of one year and period: every cell of the <paramref name="maxDepartments"/> departments in scope with
    /// the largest mean shortfall (weighted by reported indicators), in department order.
    /// </summary>
    public Task<IReadOnlyList<HeatmapCell>> HeatmapAsync(DataScope scope, int year, string period, CancellationToken ct = default) =>
        HeatmapAsync(scope, year, period, HeatmapDepartments, ct);

    public Task<IReadOnlyList<HeatmapCell>> HeatmapAsync(DataScope scope, int year, string period, int maxDepartments,
        CancellationToken ct = default) => HeatmapAsync(scope, CrossFilter.None, year, period, maxDepartments, ct);

    public async Task<IReadOnlyList<HeatmapCell>> HeatmapAsync(DataScope scope, CrossFilter cross, int year, string period,
        int maxDepartments = HeatmapDepartments, CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { year, period, limit = Math.Max(1, maxDepartments) });
        var lightCells = await LightCellsAsync(cross, ct);
        return await ListAsync<HeatmapCell>("mart_department_heatmap", $"""
            WITH cells AS (
                SELECT * FROM {CrossFilteredSources.Heatmap(cross, p, scope, lightCells ? year : null, period)} h
            ),
            worst AS (
                SELECT department_code
                FROM cells
                GROUP BY department_code
                ORDER BY SUM(mean_shortfall * reported_count) / NULLIF(SUM(reported_count), 0) DESC NULLS LAST,
                         SUM(red_count) DESC, department_code
                LIMIT @limit
            )
            SELECT c.department_code, c.department_name,
                   c.indicator_category, CAST(c.indicator_count AS BIGINT) AS indicator_count,
                   c.mean_shortfall, CAST(c.red_count AS BIGINT) AS red_count
            FROM cells c
            INNER JOIN worst w ON w.department_code = c.department_code
            ORDER BY c.department_code, c.indicator_category
            """, p, ct);
    }

    /// <summary>Departments in scope with heatmap cells in the year and period (to say how many the heatmap leaves out).</summary>
    public Task<long> HeatmapDepartmentCountAsync(DataScope scope, int year, string period, CancellationToken ct = default) =>
        HeatmapDepartmentCountAsync(scope, CrossFilter.None, year, period, ct);

    public async Task<long> HeatmapDepartmentCountAsync(DataScope scope, CrossFilter cross, int year, string period, CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { year, period });
        var lightCells = await LightCellsAsync(cross, ct);
        return await SingleAsync<long>("mart_department_heatmap", $"""
            SELECT CAST(COUNT(DISTINCT department_code) AS BIGINT) FROM {CrossFilteredSources.Heatmap(cross, p, scope, lightCells ? year : null, period)} h
            """, p, ct);
    }

    /// <summary>Grades of the year in the departments in scope.</summary>
    public Task<IReadOnlyList<GradeCount>> GradesAsync(DataScope scope, int year, CancellationToken ct = default) =>
        GradesAsync(scope, CrossFilter.None, year, ct);

    public Task<IReadOnlyList<GradeCount>> GradesAsync(DataScope scope, CrossFilter cross, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "g.department_code", new { year });
        inScope += " AND " + cross.Condition(p, "g.department_code", "g.project_code");
        return ListAsync<GradeCount>("mart_project_grade", $"""
            SELECT g.department_code, MAX(dep.department_name) AS department_name, g.grade,
                   CAST(COUNT(*) AS BIGINT) AS projects
            FROM mart_project_grade g
            LEFT JOIN dim_department dep ON dep.department_code = g.department_code
            WHERE g.fiscal_year = @year AND {inScope}
            GROUP BY g.department_code, g.grade
            ORDER BY g.department_code, g.grade
            """, p, ct);
    }

    /// <summary>
    /// The grade KPI card: projects of each band grade (优/良/中/差, dim_grade's order, 0 when none) of the grade year in
    /// scope and in the cross-filter, all departments (not only the chart's top <see cref="GradeChartDepartments"/>).
    /// </summary>
    public Task<IReadOnlyList<GradeCount>> GradeTotalsAsync(DataScope scope, CrossFilter cross, int gradeYear, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "g.department_code", new { year = gradeYear });
        inScope += " AND " + cross.Condition(p, "g.department_code", "g.project_code");
        return ListAsync<GradeCount>("mart_project_grade", $"""
            SELECT d.grade, CAST(COUNT(g.project_code) AS BIGINT) AS projects
            FROM dim_grade d
            LEFT JOIN mart_project_grade g ON g.grade = d.grade AND g.fiscal_year = @year AND {inScope}
            WHERE d.is_band
            GROUP BY d.grade, d.sort_order
            ORDER BY d.sort_order
            """, p, ct);
    }

    /// <summary>How many departments the grade chart (page and PNG) shows: those with the most graded projects.</summary>
    public const int GradeChartDepartments = 15;

    /// <summary>The grade names in order (dim_grade: grade_band's bands, then 未评).</summary>
    public Task<IReadOnlyList<GradeName>> GradeNamesAsync(CancellationToken ct = default) =>
        ListAsync<GradeName>("dim_grade",
            "SELECT grade, sort_order, is_band FROM dim_grade ORDER BY sort_order", null, ct);

    /// <summary>
    /// The year whose 自评 grades 总览 shows for a monitoring <paramref name="year"/>: that year when it has grades, else the
    /// year before when that has (the monitoring year has none until its year end), else the year itself.
    /// </summary>
    public async Task<int> GradeYearAsync(int year, CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { year, before = year - 1 });
        var found = await ListAsync<int?>("mart_project_grade",
            "SELECT MAX(fiscal_year) FROM mart_project_grade WHERE fiscal_year IN (@year, @before)", p, ct);
        return found.FirstOrDefault() ?? year;
    }

    /// <summary>部门等级分布 of the grade year for <paramref name="year"/> (<see cref="GradeYearAsync"/>), unfiltered.</summary>
    public async Task<GradeChart?> GradeChartAsync(DataScope scope, int year, CancellationToken ct = default) =>
        await GradeChartAsync(scope, CrossFilter.None, await GradeYearAsync(year, ct), ct);

    /// <summary>
    /// 部门等级分布 for the page and its PNG alike: the grade year's counts per department in scope and in the
    /// cross-filter, each department ranked by its graded projects (ties by code) and the chart's top
    /// <see cref="GradeChartDepartments"/> marked; null when there are none.
    /// </summary>
    public async Task<GradeChart?> GradeChartAsync(DataScope scope, CrossFilter cross, int gradeYear, CancellationToken ct = default)
    {
        var names = await GradeNamesAsync(ct);
        var (inScope, p) = Scoped(scope, "g.department_code", new { year = gradeYear, top = GradeChartDepartments });
        inScope += " AND " + cross.Condition(p, "g.department_code", "g.project_code");
        var counts = await ListAsync<GradeCount>("mart_project_grade", $"""
            WITH counts AS (
                SELECT g.department_code, MAX(dep.department_name) AS department_name, g.grade, CAST(COUNT(*) AS BIGINT) AS projects
                FROM mart_project_grade g
                LEFT JOIN dim_department dep ON dep.department_code = g.department_code
                WHERE g.fiscal_year = @year AND {inScope}
                GROUP BY g.department_code, g.grade
            ),
            ranked AS (
                SELECT department_code, ROW_NUMBER() OVER (ORDER BY SUM(projects) DESC, department_code) AS department_rank
                FROM counts GROUP BY department_code
            )
            SELECT counts.department_code AS department_code, counts.department_name AS department_name, counts.grade AS grade,
                   counts.projects AS projects,
                   CASE WHEN ranked.department_rank <= @top THEN CAST(ranked.department_rank AS BIGINT) END AS department_rank
            FROM counts INNER JOIN ranked ON ranked.department_code = counts.department_code
            ORDER BY ranked.department_rank, counts.grade
            """, p, ct);
        if (counts.Count == 0) return null;
        var departments = counts.Where(c => c.DepartmentRank is not null).OrderBy(c => c.DepartmentRank)
            .Select(c => c.DepartmentName ?? c.DepartmentCode ?? "").Distinct().ToList();
        return new GradeChart(gradeYear, names, counts, departments);
    }

    /// <summary>Red and yellow indicators of the year and period with neither a 纠偏表 measure nor an 调整表 target (纠偏跟踪).</summary>
    public Task<long> UncorrectedAsync(DataScope scope, int year, string period, CancellationToken ct = default) =>
        UncorrectedAsync(scope, CrossFilter.None, year, period, ct);

    public Task<long> UncorrectedAsync(DataScope scope, CrossFilter cross, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { year, period });
        inScope += " AND " + cross.Condition(p, "department_code", "project_code");
        return SingleAsync<long>("mart_indicator_correction", $"""
            SELECT CAST(COUNT(*) AS BIGINT) FROM mart_indicator_correction
            WHERE fiscal_year = @year AND period = @period AND correction_status = '未纠偏' AND {inScope}
            """, p, ct);
    }

    /// <summary>
    /// 拟削减/收回 of the year in scope: the money the rules propose to take back (mart_cut_takeback — 削减/取消, 收回,
    /// 暂停拨款, each project once at its largest amount, never above its budget), and the 调整 (交叉重复) review list's
    /// project count, which is never money.
    /// </summary>
    public Task<CutKpi> CutKpiAsync(DataScope scope, int year, CancellationToken ct = default) =>
        CutKpiAsync(scope, CrossFilter.None, year, ct);

    public async Task<CutKpi> CutKpiAsync(DataScope scope, CrossFilter cross, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { year });
        inScope += " AND " + cross.Condition(p, "department_code", "project_code");
        var money = await SingleAsync<CutKpi>("mart_cut_takeback", $"""
            SELECT CAST(COUNT(*) AS BIGINT) AS projects, SUM(amount) AS amount
            FROM mart_cut_takeback WHERE fiscal_year = @year AND {inScope}
            """, p, ct) ?? new CutKpi();
        var (inScope2, p2) = Scoped(scope, "department_code", new { year });
        inScope2 += " AND " + cross.Condition(p2, "department_code", "project_code");
        money.ReviewProjects = await SingleAsync<long>("mart_cut_candidates", $"""
            SELECT CAST(COUNT(DISTINCT project_code) AS BIGINT) FROM mart_cut_candidates
            WHERE fiscal_year = @year AND flag = '调整' AND {inScope2}
            """, p2, ct);
        return money;
    }

    /// <summary>A department's name for the cross-filter's chip; null when it is not in the caller's scope (or unknown).</summary>
    public async Task<string?> DepartmentNameAsync(DataScope scope, string code, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { code });
        return (await ListAsync<string>("dim_department", $"""
            SELECT department_name FROM dim_department WHERE department_code = @code AND {inScope}
            """, p, ct)).FirstOrDefault();
    }
}

/// <summary>拟削减/收回 KPI: projects and money taken back (mart_cut_takeback), and the 调整 review list's count.</summary>
public sealed class CutKpi
{
    public long Projects { get; set; }
    public decimal? Amount { get; set; }
    /// <summary>调整 (交叉重复) projects to review: a count, never summed into money.</summary>
    public long ReviewProjects { get; set; }
}
