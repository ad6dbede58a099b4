using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>
/// The rows a cross-filtered visual aggregates (issue 17). Filtered by department only, the department marts serve
/// as they are; filtered by a light or a grade — properties of projects — the same columns are summed from the
/// project grain instead, so that a cell or a total covers exactly the filtered projects.
/// </summary>
internal static class CrossFilteredSources
{
    /// <summary>
    /// mart_department_heatmap's columns (department_code, department_name, indicator_category, indicator_count,
    /// reported_count, mean_shortfall, red_count) for <c>@year</c> and <c>@period</c>, limited to <paramref name="scope"/>
    /// and the cross-filter; a parenthesised subquery. <paramref name="year"/> and <paramref name="period"/> are the values of
    /// <c>@year</c> and <c>@period</c>: a light of the same year and period is read from the pre-summed cells.
    /// </summary>
    public static string Heatmap(CrossFilter cross, DynamicParameters p, DataScope scope, int? year = null, string? period = null)
    {
        if (cross is { Light: not null, Grade: null } && cross.Year == year && cross.Period == period && year is not null)
        {
            // filtered by the light of the page's own year and period: the cells pre-summed by project light
            // (mart_department_heatmap_light, one row per department × category × light), ≈10⁵ rows instead of the
            // period's ≈3·10⁶ indicators at province scale; its sums and rounding are those of the branch below
            p.Add("cf_light", cross.Light);
            var department = cross.Department is null ? "TRUE" : "l.department_code = @cf_dept";
            if (cross.Department is not null) p.Add("cf_dept", cross.Department);
            return $"""
                (SELECT l.department_code, l.department_name, l.indicator_category, l.indicator_count, l.reported_count,
                        l.mean_shortfall, l.red_count
                 FROM mart_department_heatmap_light l
                 WHERE l.fiscal_year = @year AND l.period = @period AND l.project_warning = @cf_light
                   AND {scope.Condition("l.department_code", p)} AND {department})
                """;
        }
        if (!cross.ByProject)
            return $"""
                (SELECT * FROM mart_department_heatmap
                 WHERE fiscal_year = @year AND period = @period AND {scope.Condition("department_code", p)}
                   AND {cross.Condition(p, "department_code", null)})
                """;
        // the mart's own arithmetic (mart_department_heatmap.sql) over the filtered projects' indicators
        return $"""
            (SELECT i.department_code, MAX(dep.department_name) AS department_name, i.category AS indicator_category,
                    COUNT(*) AS indicator_count, COUNT(i.shortfall) AS reported_count,
                    CASE WHEN COUNT(i.shortfall) > 0
                         THEN CAST(ROUND(CAST(SUM(i.shortfall) / COUNT(i.shortfall) AS DECIMAL(18,8)), 4) AS DECIMAL(18,4)) END AS mean_shortfall,
                    COUNT(CASE WHEN i.light = 'red' THEN 1 END) AS red_count
             FROM fct_indicator_light i
             LEFT JOIN dim_department dep ON dep.department_code = i.department_code
             WHERE i.fiscal_year = @year AND i.period = @period AND i.category IS NOT NULL
               AND {scope.Condition("i.department_code", p)}
               AND {cross.Condition(p, "i.department_code", "i.project_code")}
             GROUP BY i.department_code, i.category)
            """;
    }

    /// <summary>
    /// mart_department_rollup's columns (department_code, project_count, budget, executed, red_count, yellow_count,
    /// deviation_sum, deviation_count, takeback) for <c>@year</c> and <c>@period</c>, cross-filtered; a parenthesised subquery.
    /// </summary>
    public static string Rollup(CrossFilter cross, DynamicParameters p)
    {
        if (!cross.ByProject)
            return $"""
                (SELECT * FROM mart_department_rollup
                 WHERE fiscal_year = @year AND period = @period AND {cross.Condition(p, "department_code", null)})
                """;
        // mart_department_rollup.sql's sums over the filtered projects, with their 拟削减/收回 (mart_cut_takeback)
        return $"""
            (SELECT d.department_code, COUNT(*) AS project_count, SUM(d.budget) AS budget, SUM(d.executed) AS executed,
                    SUM(CASE WHEN d.warning = 'red' THEN 1 ELSE 0 END) AS red_count,
                    SUM(CASE WHEN d.warning = 'yellow' THEN 1 ELSE 0 END) AS yellow_count,
                    SUM(d.deviation_index) AS deviation_sum, COUNT(d.deviation_index) AS deviation_count,
                    SUM(t.amount) AS takeback
             FROM {MartQueries.ProjectDeviationRows} d
             LEFT JOIN mart_cut_takeback t ON t.fiscal_year = d.fiscal_year AND t.project_code = d.project_code
             WHERE d.fiscal_year = @year AND d.period = @period AND {cross.Condition(p, "d.department_code", "d.project_code")}
             GROUP BY d.department_code)
            """;
    }
}
