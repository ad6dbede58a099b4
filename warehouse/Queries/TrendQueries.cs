using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One (year, period, group) line of the analysts' trend grid.</summary>
public sealed class TrendRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";

    /// <summary>期间排序 (dim_period.sort_order): 1-1月 … 1-12月 = 1–12, Q1–Q4 = 21–24, 全年 = 40.</summary>
    public int? PeriodSortOrder { get; set; }
    public string? GroupCode { get; set; }
    public string? GroupName { get; set; }
    public long ProjectCount { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public decimal? ExecutionRate { get; set; }
    public decimal? ScheduleRate { get; set; }
    public long RedCount { get; set; }
    public long YellowCount { get; set; }

    /// <summary>绿灯 and 蓝灯 projects (mart_trends.green_count, blue_count; <see cref="TrendQueries.DepartmentAtAsync"/> only).</summary>
    public long GreenCount { get; set; }
    public long BlueCount { get; set; }

    /// <summary>指标数 (by indicator category only).</summary>
    public long? IndicatorCount { get; set; }

    /// <summary>平均差距 (0 = on track, 1 = nothing done), over the reported indicators (by indicator category only).</summary>
    public decimal? MeanShortfall { get; set; }
}

/// <summary>趋势: multi-year trends by department, by fund nature or by indicator category.</summary>
public sealed class TrendQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>
    /// <paramref name="by"/> is "region" (the 省/市/县 one level below <paramref name="region"/>, from mart_trends),
    /// "dept" (部门, from mart_trends), "fund" (资金性质, from the project mart) or "category"
    /// (指标类别, mart_department_heatmap summed over departments: the mean shortfall weighted by reported indicators),
    /// always over the departments in <paramref name="scope"/> only.
    /// </summary>
    public GridQuery Whole(DataScope scope, string by, string? department, string? region = null)
    {
        var p = DataScope.Parameters(new { dept = department, region });
        var (regionCode, regionName, regionParent) = RegionQueries.Columns(region);
        return by switch
        {
        "region" => new GridQuery("mart_trends", $"""
            WITH d AS (
                SELECT department_code, {regionCode} AS code, {regionName} AS name FROM dim_department WHERE {regionParent}
            )
            SELECT t.fiscal_year AS fiscal_year, t.period AS period, d.code AS group_code, MAX(d.name) AS group_name,
                   CAST(SUM(t.project_count) AS BIGINT) AS project_count, SUM(t.budget) AS budget, SUM(t.executed) AS executed,
                   execution_rate(SUM(t.executed), SUM(t.budget)) AS execution_rate,
                   MAX(t.schedule_rate) AS schedule_rate,
                   CAST(SUM(t.red_count) AS BIGINT) AS red_count, CAST(SUM(t.yellow_count) AS BIGINT) AS yellow_count
            FROM mart_trends t
            INNER JOIN d ON d.department_code = t.department_code
            WHERE (@dept IS NULL OR t.department_code = @dept) AND {scope.Condition("t.department_code", p)}
            GROUP BY t.fiscal_year, t.period, d.code
            ORDER BY d.code, t.fiscal_year, t.period
            """, p),
        "fund" => new GridQuery(ProjectDeviationRows, $"""
            SELECT d.fiscal_year AS fiscal_year, d.period AS period, CAST(MIN(s.sort_order) AS INTEGER) AS period_sort_order, d.fund_nature AS group_code, d.fund_nature AS group_name,
                   CAST(COUNT(*) AS BIGINT) AS project_count, SUM(d.budget) AS budget, SUM(d.executed) AS executed,
                   execution_rate(SUM(d.executed), SUM(d.budget)) AS execution_rate,
                   MAX(d.schedule_rate) AS schedule_rate,
                   CAST(SUM(CASE WHEN d.warning = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS red_count,
                   CAST(SUM(CASE WHEN d.warning = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS yellow_count
            FROM {ProjectDeviationRows} d
            LEFT JOIN period s ON s.period = d.period
            WHERE (@dept IS NULL OR d.department_code = @dept) AND {scope.Condition("d.department_code", p)}
            GROUP BY d.fiscal_year, d.period, d.fund_nature
            ORDER BY d.fund_nature, d.fiscal_year, MIN(s.sort_order), d.period
            """, p),
        "category" => new GridQuery("mart_department_heatmap", $"""
            WITH cells AS (
                SELECT h.* FROM mart_department_heatmap h
                WHERE (@dept IS NULL OR h.department_code = @dept) AND {scope.Condition("h.department_code", p)}
            ),
            categories AS (
                SELECT category, MIN(category_order) AS category_order FROM dim_indicator WHERE category IS NOT NULL GROUP BY category
            )
            SELECT c.fiscal_year, c.period, CAST(MIN(s.sort_order) AS INTEGER) AS period_sort_order, c.indicator_category AS group_code, c.indicator_category AS group_name,
                   CAST(SUM(c.indicator_count) AS BIGINT) AS indicator_count,
                   CAST(CASE WHEN SUM(c.reported_count) > 0
                             THEN SUM(c.mean_shortfall * c.reported_count) / SUM(c.reported_count) END AS DECIMAL(18,4)) AS mean_shortfall,
                   CAST(SUM(c.red_count) AS BIGINT) AS red_count, CAST(SUM(c.yellow_count) AS BIGINT) AS yellow_count
            FROM cells c
            LEFT JOIN categories k ON k.category = c.indicator_category
            LEFT JOIN period s ON s.period = c.period
            GROUP BY c.fiscal_year, c.period, c.indicator_category
            ORDER BY MIN(k.category_order), c.indicator_category, c.fiscal_year, MIN(s.sort_order), c.period
            """, p),
        _ => new GridQuery("mart_trends", $"""
            SELECT t.fiscal_year, t.period, t.period_sort_order, t.department_code AS group_code, t.department_name AS group_name,
                   t.project_count, t.budget, t.executed, t.execution_rate,
                   t.schedule_rate, t.red_count, t.yellow_count
            FROM mart_trends t
            WHERE (@dept IS NULL OR t.department_code = @dept) AND {scope.Condition("t.department_code", p)}
            ORDER BY t.department_code, t.fiscal_year, t.period_sort_order
            """, p),
        };
    }

    /// <summary>The department's row of mart_trends at the year and period; null when it has none (or is out of scope).</summary>
    public async Task<TrendRow?> DepartmentAtAsync(DataScope scope, string department, int year, string period,
        CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { department, year, period });
        return (await ListAsync<TrendRow>("mart_trends", $"""
            SELECT fiscal_year, period, period_sort_order, department_code AS group_code,
                   department_name AS group_name, project_count, budget, executed, execution_rate,
                   schedule_rate, red_count, yellow_count,
                   green_count, blue_count
            FROM mart_trends
            WHERE department_code = @department AND fiscal_year = @year AND period = @period
              AND {scope.Condition("department_code", p)}
            """, p, ct)).FirstOrDefault();
    }

    /// <summary>How many groups 趋势's chart draws (the largest budgets) unless it is by 指标类别 (every category).</summary>
    public const int ChartGroups = 8;

    /// <summary>
    /// The chart of 趋势 and of <c>/chart/trends.png</c>: the grid's rows (<see cref="Whole"/>) of the
    /// <see cref="ChartGroups"/> groups with the largest budget summed over every row in scope (ties by group code),
    /// each group's place in ChartRank; by 指标类别 every category, in the grid's order (dim_indicator's category order).
    /// </summary>
    public async Task<TrendChart> ChartAsync(DataScope scope, string by, string? department, string? region = null,
        CancellationToken ct = default)
    {
        var q = Whole(scope, by, department, region);
        var p = (Dapper.DynamicParameters)q.Parameters!;
        p.Add("chart_top", by == "category" ? int.MaxValue : ChartGroups);
        var rank = by == "category"
            ? "ROW_NUMBER() OVER (ORDER BY MIN(k.category_order), group_code)"
            : "ROW_NUMBER() OVER (ORDER BY COALESCE(SUM(budget), 0) DESC, group_code)";
        var rows = await ListAsync<TrendChartRow>(q.Requires, $"""
            WITH grid AS (
            {q.Sql}
            ),
            k AS (
                SELECT category, MIN(category_order) AS category_order FROM dim_indicator WHERE category IS NOT NULL GROUP BY category
            ),
            groups AS (
                SELECT group_code, {rank} AS chart_rank
                FROM grid LEFT JOIN k ON k.category = grid.group_code
                GROUP BY group_code
            )
            SELECT grid.fiscal_year, grid.period, CAST(dp.sort_order AS INTEGER) AS chart_period_order,
                   grid.group_code, grid.group_name,
                   {(by == "category" ? "grid.mean_shortfall" : "grid.execution_rate")} AS {(by == "category" ? "mean_shortfall" : "execution_rate")},
                   CAST(groups.chart_rank AS BIGINT) AS chart_rank
            FROM grid
            INNER JOIN groups ON groups.group_code IS NOT DISTINCT FROM grid.group_code
            LEFT JOIN dim_period dp ON dp.fiscal_year = grid.fiscal_year AND dp.period = grid.period
            WHERE groups.chart_rank <= @chart_top
            ORDER BY groups.chart_rank, grid.fiscal_year, dp.sort_order
            """, p, ct);
        return new TrendChart(by == "category", rows);
    }

    public Task<IReadOnlyList<TrendRow>> ListAsync(DataScope scope, string by, string? department, CancellationToken ct = default,
        string? region = null)
    {
        var q = Whole(scope, by, department, region);
        return ListAsync<TrendRow>(q.Requires, q.Sql, q.Parameters, ct);
    }
}
