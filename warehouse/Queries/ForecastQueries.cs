using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One row of <c>mart_execution_forecast</c> (年末执行预测, a project at a mid-year period).</summary>
public sealed class ExecutionForecastRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }
    public string ProjectCode { get; set; } = "";
    public string? ProjectName { get; set; }
    public decimal Budget { get; set; }
    public decimal? Executed { get; set; }

    /// <summary>执行率 at the period.</summary>
    public decimal? CurrentRate { get; set; }

    /// <summary>全年预计执行数 as stated on the form (万元); null when blank.</summary>
    public decimal? StatedExecution { get; set; }

    /// <summary>全年预计执行数 ÷ 预算数.</summary>
    public decimal? StatedRate { get; set; }
    public decimal? PromisedRate { get; set; }

    /// <summary>预计年末执行率 and its 80% interval.</summary>
    public decimal ForecastRate { get; set; }
    public decimal? ForecastLow { get; set; }
    public decimal? ForecastHigh { get; set; }

    /// <summary>'department' | 'all_departments' | 'no_history'.</summary>
    public string Method { get; set; } = "";
    public long DepartmentPairs { get; set; }
    public long AllPairs { get; set; }
    public int? FirstHistoryYear { get; set; }
    public int? LastHistoryYear { get; set; }
    public decimal? DepartmentRatio { get; set; }
    public decimal? AllRatio { get; set; }
    public decimal DepartmentWeight { get; set; }
    public decimal? DeliveryRatio { get; set; }

    /// <summary>'department' | 'all_departments': whose residuals give the interval.</summary>
    public string? IntervalSource { get; set; }

    /// <summary>预计结转 threshold (policy forecast_carryover_min) and whether the forecast is below it.</summary>
    public decimal? CarryoverMin { get; set; }
    public bool CarryoverRisk { get; set; }

    /// <summary>预计结转额 (万元): budget × (1 − forecast).</summary>
    public decimal ExpectedCarryover { get; set; }

    /// <summary>The year-end 执行率 once known (自评 or a 1-12月 monitoring).</summary>
    public decimal? ActualRate { get; set; }

    /// <summary>|actual − forecast| and |actual − stated| once the year end is known.</summary>
    public decimal? ForecastError { get; set; }
    public decimal? StatedError { get; set; }
    public string? Basis { get; set; }
    public string? BasisQuote { get; set; }
}

/// <summary>One row of <c>mart_department_forecast</c> (a department's 年末执行预测).</summary>
public sealed class DepartmentForecastRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public string DepartmentCode { get; set; } = "";
    public string? DepartmentName { get; set; }
    public int ProjectCount { get; set; }
    public decimal Budget { get; set; }
    public decimal Executed { get; set; }
    public decimal? CurrentRate { get; set; }
    public decimal? StatedRate { get; set; }
    public decimal ForecastRate { get; set; }
    public decimal? ForecastLow { get; set; }
    public decimal? ForecastHigh { get; set; }
    public int ProjectsAtRisk { get; set; }
    public decimal ExpectedCarryover { get; set; }
    public decimal? CarryoverMin { get; set; }
    public bool CarryoverRisk { get; set; }
    public decimal? ActualRate { get; set; }
    public string? Basis { get; set; }
}

/// <summary>年末执行预测 (issue 17 item 3): the forecast marts for the ranking column, the project page and the reports.</summary>
public sealed class ForecastQueries(WarehouseEngine engine) : MartQueries(engine)
{
    private const string Mart = "mart_execution_forecast";
    private const string DepartmentMart = "mart_department_forecast";

    /// <summary>The forecasts of the given projects at (year, period) within the scope, by project code (the ranking page's rows).</summary>
    public async Task<IReadOnlyDictionary<string, ExecutionForecastRow>> ForProjectsAsync(
        DataScope scope, int year, string period, IReadOnlyCollection<string> projectCodes, CancellationToken ct = default)
    {
        if (projectCodes.Count == 0) return new Dictionary<string, ExecutionForecastRow>();
        var codes = projectCodes.Distinct().Take(500).ToList();
        var (inScope, p) = Scoped(scope, "f.department_code", new { year, period });
        for (var i = 0; i < codes.Count; i++) p.Add($"c{i}", codes[i]);
        var list = string.Join(", ", codes.Select((_, i) => $"@c{i}"));
        var rows = await ListAsync<ExecutionForecastRow>(Mart, $"""
            SELECT f.* FROM {Mart} f
            WHERE f.fiscal_year = @year AND f.period = @period AND f.project_code IN ({list}) AND {inScope}
            """, p, ct);
        return rows.ToDictionary(r => r.ProjectCode);
    }

    /// <summary>A project's forecast at (year, period), within the scope; null when none (no mid-year monitoring, or year end).</summary>
    public async Task<ExecutionForecastRow?> ProjectAsync(DataScope scope, string projectCode, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "f.department_code", new { project = projectCode, year, period });
        return (await ListAsync<ExecutionForecastRow>(Mart, $"""
            SELECT f.* FROM {Mart} f
            WHERE f.project_code = @project AND f.fiscal_year = @year AND f.period = @period AND {inScope}
            """, p, ct)).FirstOrDefault();
    }

    /// <summary>A department's forecast at (year, period), within the scope.</summary>
    public async Task<DepartmentForecastRow?> DepartmentAsync(DataScope scope, string department, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "f.department_code", new { department, year, period });
        return (await ListAsync<DepartmentForecastRow>(DepartmentMart, $"""
            SELECT f.* FROM {DepartmentMart} f
            WHERE f.department_code = @department AND f.fiscal_year = @year AND f.period = @period AND {inScope}
            """, p, ct)).FirstOrDefault();
    }

    /// <summary>A department's projects' forecasts at (year, period), lowest forecast first.</summary>
    public Task<IReadOnlyList<ExecutionForecastRow>> DepartmentProjectsAsync(
        DataScope scope, string department, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "f.department_code", new { department, year, period });
        return ListAsync<ExecutionForecastRow>(Mart, $"""
            SELECT f.* FROM {Mart} f
            WHERE f.department_code = @department AND f.fiscal_year = @year AND f.period = @period AND {inScope}
            ORDER BY f.forecast_rate, f.project_code
            """, p, ct);
    }

    /// <summary>
    /// Every forecast whose year end is known (the back-test of <c>budgetperf bench forecast</c>): earlier years' rows,
    /// each forecast from the years before it only.
    /// </summary>
    public Task<IReadOnlyList<ExecutionForecastRow>> BacktestRowsAsync(CancellationToken ct = default) =>
        ListAsync<ExecutionForecastRow>(Mart, $"""
            SELECT f.* FROM {Mart} f WHERE f.actual_rate IS NOT NULL ORDER BY f.fiscal_year, f.period, f.project_code
            """, ct: ct);
}
