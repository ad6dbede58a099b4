using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>
/// The slicers and filters of the finance pages, as they appear in the URL (<c>?year=2026&amp;period=1-6月&amp;dept=…</c>).
/// Null means "all".
/// </summary>
public sealed record DeviationFilter
{
    /// <summary>The caller's departments: never from the URL, always from the signed-in user.</summary>
    public required DataScope Scope { get; init; }

    public int? Year { get; init; }
    public string? Period { get; init; }
    public string? Department { get; init; }

    /// <summary>预警灯: red / yellow / green / blue.</summary>
    public string? Light { get; init; }

    /// <summary>资金性质.</summary>
    public string? FundNature { get; init; }

    /// <summary>重点项目 only.</summary>
    public bool KeyOnly { get; init; }

    /// <summary>指标类别 (数量, 质量, …): projects with at least one indicator of it.</summary>
    public string? Category { get; init; }

    /// <summary>Project code or name contains.</summary>
    public string? Search { get; init; }

    /// <summary>A WHERE clause over <c>mart_project_deviation</c> aliased <c>d</c>, with its parameters.</summary>
    public (string Where, DynamicParameters Parameters) ToWhere()
    {
        var clauses = new List<string>();
        var p = new DynamicParameters();
        if (!Scope.IsAll) clauses.Add(Scope.Condition("d.department_code", p));
        if (Year is { } year) { clauses.Add("d.fiscal_year = @year"); p.Add("year", year); }
        if (!string.IsNullOrEmpty(Period)) { clauses.Add("d.period = @period"); p.Add("period", Period); }
        if (!string.IsNullOrEmpty(Department)) { clauses.Add("d.department_code = @dept"); p.Add("dept", Department); }
        if (!string.IsNullOrEmpty(Light)) { clauses.Add("d.warning = @light"); p.Add("light", Light); }
        if (!string.IsNullOrEmpty(FundNature)) { clauses.Add("d.fund_nature = @fund"); p.Add("fund", FundNature); }
        if (KeyOnly) clauses.Add("d.is_key");
        if (!string.IsNullOrEmpty(Category))
        {
            // EXISTS, not a correlated IN: PostgreSQL turns it into one hashed semi-join instead of a scan of the
            // 3M-row indicator table per project; the year, period and department are repeated inside as constants so
            // that both engines prune that scan to them
            var inner = new List<string>
            {
                "i.project_code = d.project_code", "i.fiscal_year = d.fiscal_year", "i.period = d.period", "i.category = @category",
            };
            if (Year is not null) inner.Add("i.fiscal_year = @year");
            if (!string.IsNullOrEmpty(Period)) inner.Add("i.period = @period");
            if (!string.IsNullOrEmpty(Department)) inner.Add("i.department_code = @dept");
            clauses.Add($"EXISTS (SELECT 1 FROM fct_indicator_light i WHERE {string.Join(" AND ", inner)})");
            p.Add("category", Category);
        }
        if (!string.IsNullOrWhiteSpace(Search))
        {
            clauses.Add("(d.project_code LIKE @search OR d.project_name LIKE @search)");
            p.Add("search", $"%{Search.Trim()}%");
        }
        return (clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", clauses), p);
    }
}
