using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Warehouse.Queries;

public sealed class CutTotal
{
    public string Flag { get; set; } = "";
    public long Projects { get; set; }
    public decimal? Amount { get; set; }
}

/// <summary>One row of <c>mart_cut_candidates</c> (削减与收回), with the project's name and department.</summary>
public sealed class CutCandidate
{
    public int FiscalYear { get; set; }
    public string ProjectCode { get; set; } = "";
    public string? ProjectName { get; set; }
    public string? DepartmentName { get; set; }
    public string Flag { get; set; } = "";
    public decimal? SuggestedChangePct { get; set; }
    public decimal? Amount { get; set; }
    public string? Reason { get; set; }
    public string? Basis { get; set; }
}

/// <summary>削减与收回: the consequence list, grouped by flag.</summary>
public sealed class CutQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public GridQuery Whole(int? year) => new("mart_cut_candidates", """
        SELECT c.fiscal_year AS FiscalYear, c.project_code AS ProjectCode, p.project_name AS ProjectName,
               dep.department_name AS DepartmentName, c.flag AS Flag, c.suggested_change_pct AS SuggestedChangePct,
               c.amount AS Amount, c.reason AS Reason, c.basis AS Basis
        FROM mart_cut_candidates c
        LEFT JOIN dim_project p ON p.project_code = c.project_code
        LEFT JOIN dim_department dep ON dep.department_code = p.department_code
        WHERE (@year IS NULL OR c.fiscal_year = @year)
        ORDER BY c.fiscal_year DESC, c.flag, c.amount DESC NULLS LAST, c.project_code
        """, new { year });

    public Task<IReadOnlyList<CutCandidate>> ListAsync(int? year, CancellationToken ct = default)
    {
        var q = Whole(year);
        return ListAsync<CutCandidate>(q.Requires, q.Sql, q.Parameters, ct);
    }
}
