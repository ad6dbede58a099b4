using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One 交叉重复 candidate pair (mart_overlap_pairs): both projects side by side and what matched.</summary>
public sealed class OverlapPair
{
    public int FiscalYear { get; set; }
    public string ProjectA { get; set; } = "";
    public string NameA { get; set; } = "";
    public string? DepartmentA { get; set; }
    public string ProjectB { get; set; } = "";
    public string NameB { get; set; } = "";
    public string? DepartmentB { get; set; }
    public string? Region { get; set; }
    /// <summary>一致之处: 名称相近, 年度总体目标一致, 绩效指标重合 n/m, 实施单位相同, 受益对象相同.</summary>
    public string Matched { get; set; } = "";
}

/// <summary>削减与收回 → 交叉重复对照: the candidate pairs of a year, both of whose departments are in scope.</summary>
public sealed class OverlapQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public Task<IReadOnlyList<OverlapPair>> PairsAsync(DataScope scope, int year, int limit = 200, CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { year, limit = Math.Clamp(limit, 1, 5000) });
        var inScopeA = scope.Condition("o.department_a", p);
        var inScopeB = scope.Condition("o.department_b", p);
        return ListAsync<OverlapPair>("mart_overlap_pairs", $"""
            SELECT o.fiscal_year, o.project_a, o.name_a, da.department_name AS department_a,
                   o.project_b, o.name_b, db.department_name AS department_b,
                   da.county_name AS region, o.matched
            FROM mart_overlap_pairs o
            LEFT JOIN dim_department da ON da.department_code = o.department_a
            LEFT JOIN dim_department db ON db.department_code = o.department_b
            WHERE o.fiscal_year = @year AND {inScopeA} AND {inScopeB}
            ORDER BY o.content_matches DESC, o.project_a, o.project_b
            LIMIT @limit
            """, p, ct);
    }
}
