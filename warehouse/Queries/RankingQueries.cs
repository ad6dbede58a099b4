using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One row of <c>mart_project_deviation</c> (项目偏差).</summary>
public sealed class DeviationRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }
    public string ProjectCode { get; set; } = "";
    public string? ProjectName { get; set; }
    public string? ProjectType { get; set; }
    public string? FundNature { get; set; }
    public bool? IsKey { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }

    /// <summary>执行率.</summary>
    public decimal? ExecutionRate { get; set; }

    /// <summary>序时进度.</summary>
    public decimal? ScheduleRate { get; set; }
    public decimal? ExecutionProgress { get; set; }
    public string? Warning { get; set; }
    public decimal? ExecutionDeviation { get; set; }

    /// <summary>偏差指数 (0–100); null until the rules engine's mart column exists.</summary>
    public decimal? DeviationIndex { get; set; }
    public long? DeviationRank { get; set; }
}

/// <summary>A year and period present in the marts (the slicers' choices).</summary>
public sealed record YearPeriod(int FiscalYear, string Period, int SortOrder);

public sealed record Department(string DepartmentCode, string DepartmentName);

/// <summary>偏差排名: the finance grid over <c>mart_project_deviation</c>.</summary>
public sealed class RankingQueries(WarehouseEngine engine) : MartQueries(engine)
{
    private const string Mart = "mart_project_deviation";

    /// <summary>Sortable columns: the grid's names → SQL (anything else sorts by the deviation key).</summary>
    private static readonly Dictionary<string, string> SortColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DepartmentName"] = "d.department_name", ["ProjectCode"] = "d.project_code", ["ProjectName"] = "d.project_name",
        ["FundNature"] = "d.fund_nature", ["Budget"] = "d.budget", ["Executed"] = "d.executed",
        ["ExecutionRate"] = "d.execution_rate", ["ScheduleRate"] = "d.schedule_rate", ["Warning"] = "d.warning",
        ["ExecutionDeviation"] = "d.execution_deviation", ["DeviationIndex"] = "d.deviation_index",
        ["DeviationRank"] = "d.deviation_rank",
    };

    public async Task<(IReadOnlyList<DeviationRow> Rows, long Total)> PageAsync(DeviationFilter filter, string? sortBy, bool descending,
        int skip, int take, CancellationToken ct = default)
    {
        var query = await WholeAsync(filter, sortBy, descending, ct);
        var p = (DynamicParameters)query.Parameters!;
        p.Add("skip", Math.Max(0, skip));
        p.Add("take", Math.Clamp(take, 1, 500));
        var rows = await ListAsync<DeviationRow>(Mart, query.Sql + " LIMIT @take OFFSET @skip", p, ct);
        var (where, countParams) = filter.ToWhere();
        var total = await SingleAsync<long>(Mart, $"SELECT CAST(COUNT(*) AS BIGINT) FROM {Mart} d {where}", countParams, ct);
        return (rows, total);
    }

    /// <summary>The whole filtered, sorted result (for export).</summary>
    public async Task<GridQuery> WholeAsync(DeviationFilter filter, string? sortBy = null, bool descending = true, CancellationToken ct = default)
    {
        var (where, p) = filter.ToWhere();
        var key = await HasColumnAsync(Mart, "deviation_index", ct) ? "d.deviation_index" : "d.execution_deviation";
        var order = sortBy is not null && SortColumns.TryGetValue(sortBy, out var column)
                    && (column != "d.deviation_index" && column != "d.deviation_rank" || key == "d.deviation_index")
            ? $"{column} {(descending ? "DESC" : "ASC")} NULLS LAST"
            : $"{key} DESC NULLS LAST";
        return new GridQuery(Mart, $"SELECT d.* FROM {Mart} d {where} ORDER BY {order}, d.fiscal_year DESC, d.period, d.project_code", p);
    }

    public Task<IReadOnlyList<YearPeriod>> YearPeriodsAsync(CancellationToken ct = default) => ListAsync<YearPeriod>(Mart, """
        SELECT d.fiscal_year, d.period, CAST(COALESCE(MIN(p.sort_order), 0) AS INTEGER) AS sort_order
        FROM mart_project_deviation d
        LEFT JOIN dim_period p ON p.fiscal_year = d.fiscal_year AND p.period = d.period
        GROUP BY d.fiscal_year, d.period
        ORDER BY d.fiscal_year DESC, 3, d.period
        """, ct: ct);

    /// <summary>The departments in scope (the department slicer's choices).</summary>
    public Task<IReadOnlyList<Department>> DepartmentsAsync(DataScope scope, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code");
        return ListAsync<Department>("dim_department", $"""
            SELECT department_code, department_name FROM dim_department
            WHERE {inScope} ORDER BY department_code
            """, p, ct);
    }

    public Task<IReadOnlyList<string>> FundNaturesAsync(CancellationToken ct = default) => ListAsync<string>(ProjectDeviationRows, $"""
        SELECT DISTINCT fund_nature FROM {ProjectDeviationRows} WHERE fund_nature IS NOT NULL ORDER BY 1
        """, ct: ct);

    public Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct = default) => ListAsync<string>("dim_indicator", """
        SELECT category FROM dim_indicator WHERE category IS NOT NULL GROUP BY category ORDER BY MIN(category_order), category
        """, ct: ct);
}
