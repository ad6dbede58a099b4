using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One project's execution against 序时进度, as <c>mart_project_deviation</c> holds it.</summary>
public sealed record ProjectExecutionRow(
    int FiscalYear, string Period, string DepartmentName, string ProjectCode, string ProjectName,
    decimal? Budget, decimal? Executed, decimal? ExecutionRate, decimal? ScheduleRate, string? Warning);

/// <summary>Totals of one year and period.</summary>
public sealed record OverviewTotals(int FiscalYear, string Period, long Projects, decimal? Budget, decimal? Executed,
    long RedCount, long YellowCount);

/// <summary>Queries of the overview page (the placeholder dashboard until the dashboard issue).</summary>
public sealed class OverviewQueries(WarehouseEngine engine)
{
    public async Task<IReadOnlyList<OverviewTotals>> TotalsAsync()
    {
        await using var connection = await engine.OpenAsync();
        if (await engine.RelationTypeAsync(connection, "mart_project_deviation") is null) return [];
        return (await connection.QueryAsync<OverviewTotals>("""
            SELECT fiscal_year AS FiscalYear, period AS Period, CAST(COUNT(*) AS BIGINT) AS Projects,
                   SUM(budget) AS Budget, SUM(executed) AS Executed,
                   CAST(SUM(CASE WHEN warning = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS RedCount,
                   CAST(SUM(CASE WHEN warning = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS YellowCount
            FROM mart_project_deviation
            GROUP BY fiscal_year, period
            ORDER BY fiscal_year DESC, period
            """)).ToList();
    }

    /// <summary>The projects furthest behind 序时进度 in the latest year (largest execution deviation first).</summary>
    public async Task<IReadOnlyList<ProjectExecutionRow>> MostBehindAsync(int limit)
    {
        await using var connection = await engine.OpenAsync();
        if (await engine.RelationTypeAsync(connection, "mart_project_deviation") is null) return [];
        return (await connection.QueryAsync<ProjectExecutionRow>($"""
            SELECT fiscal_year AS FiscalYear, period AS Period, department_name AS DepartmentName,
                   project_code AS ProjectCode, project_name AS ProjectName, budget AS Budget, executed AS Executed,
                   execution_rate AS ExecutionRate, schedule_rate AS ScheduleRate, warning AS Warning
            FROM mart_project_deviation
            WHERE fiscal_year = (SELECT MAX(fiscal_year) FROM mart_project_deviation)
            ORDER BY execution_deviation DESC, project_code
            LIMIT {Math.Clamp(limit, 1, 1000)}
            """)).ToList();
    }
}
