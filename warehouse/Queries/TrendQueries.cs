using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One (year, period, group) line of the analysts' trend grid.</summary>
public sealed class TrendRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public string? GroupCode { get; set; }
    public string? GroupName { get; set; }
    public long ProjectCount { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public decimal? ExecutionRate { get; set; }
    public decimal? ScheduleRate { get; set; }
    public long RedCount { get; set; }
    public long YellowCount { get; set; }
}

/// <summary>趋势: multi-year trends by department or by fund nature.</summary>
public sealed class TrendQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary><paramref name="by"/> is "dept" (部门, from mart_trends) or "fund" (资金性质, from the project mart).</summary>
    public GridQuery Whole(string by, string? department) => by == "fund"
        ? new GridQuery("mart_project_deviation", """
            SELECT d.fiscal_year AS FiscalYear, d.period AS Period, d.fund_nature AS GroupCode, d.fund_nature AS GroupName,
                   CAST(COUNT(*) AS BIGINT) AS ProjectCount, SUM(d.budget) AS Budget, SUM(d.executed) AS Executed,
                   CAST(CASE WHEN SUM(d.budget) <> 0 THEN SUM(d.executed) / SUM(d.budget) END AS DECIMAL(18,4)) AS ExecutionRate,
                   MAX(d.schedule_rate) AS ScheduleRate,
                   CAST(SUM(CASE WHEN d.warning = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS RedCount,
                   CAST(SUM(CASE WHEN d.warning = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS YellowCount
            FROM mart_project_deviation d
            WHERE (@dept IS NULL OR d.department_code = @dept)
            GROUP BY d.fiscal_year, d.period, d.fund_nature
            ORDER BY d.fund_nature, d.fiscal_year, d.period
            """, new { dept = department })
        : new GridQuery("mart_trends", """
            SELECT t.fiscal_year AS FiscalYear, t.period AS Period, t.department_code AS GroupCode, t.department_name AS GroupName,
                   t.project_count AS ProjectCount, t.budget AS Budget, t.executed AS Executed, t.execution_rate AS ExecutionRate,
                   t.schedule_rate AS ScheduleRate, t.red_count AS RedCount, t.yellow_count AS YellowCount
            FROM mart_trends t
            WHERE (@dept IS NULL OR t.department_code = @dept)
            ORDER BY t.department_code, t.fiscal_year, t.period
            """, new { dept = department });

    public Task<IReadOnlyList<TrendRow>> ListAsync(string by, string? department, CancellationToken ct = default)
    {
        var q = Whole(by, department);
        return ListAsync<TrendRow>(q.Requires, q.Sql, q.Parameters, ct);
    }
}
