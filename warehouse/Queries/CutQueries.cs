using Dapper;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

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

    /// <summary>The basis with each article's quoted phrase (《…》第四条（“…”）), from rule_basis: the tooltip and the documents' text.</summary>
    public string? BasisQuote { get; set; }

    /// <summary>财政批注 (the flag's current annotation): 采纳 / 不采纳 / 待核实 and its note; only the whole list (export) carries them.</summary>
    public string? AnnotationDecision { get; set; }
    public string? AnnotationNote { get; set; }

    /// <summary>涉及金额 of the flag: Σ amount of the department's projects under the same flag (ReportQueries.DepartmentCutsAsync only).</summary>
    public decimal? FlagAmount { get; set; }
}

/// <summary>削减与收回: the consequence list, grouped by flag.</summary>
public sealed class CutQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>The whole list of the year in scope, with each flag's current 财政批注 (decision and note), for export.</summary>
    public GridQuery Whole(DataScope scope, int? year)
    {
        var (inScope, p) = Scoped(scope, "c.department_code", new { year });
        return new("mart_cut_candidates", $"""
        SELECT c.fiscal_year, c.project_code, p.project_name,
               dep.department_name, c.flag, c.suggested_change_pct,
               c.amount, c.reason, c.basis,
               c.basis_quote, a.decision AS annotation_decision, a.note AS annotation_note
        FROM mart_cut_candidates c
        LEFT JOIN dim_project p ON p.project_code = c.project_code
        LEFT JOIN dim_department dep ON dep.department_code = p.department_code
        LEFT JOIN flag_annotation_current a ON a.fiscal_year = c.fiscal_year AND a.project_code = c.project_code AND a.flag = c.flag
        WHERE (@year IS NULL OR c.fiscal_year = @year) AND {inScope}
        ORDER BY c.fiscal_year DESC, c.flag, c.amount DESC NULLS LAST, c.project_code
        """, p);
    }

    public Task<IReadOnlyList<CutCandidate>> ListAsync(DataScope scope, int? year, CancellationToken ct = default)
    {
        var q = Whole(scope, year);
        return ListAsync<CutCandidate>(q.Requires, q.Sql, q.Parameters, ct);
    }

    public Task<IReadOnlyList<int>> YearsAsync(CancellationToken ct = default) => ListAsync<int>("mart_cut_candidates",
        "SELECT DISTINCT fiscal_year FROM mart_cut_candidates ORDER BY 1 DESC", ct: ct);

    /// <summary>Projects and amount per flag of the year in scope (the page's group headers).</summary>
    public Task<IReadOnlyList<CutTotal>> TotalsAsync(DataScope scope, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { year });
        return ListAsync<CutTotal>("mart_cut_candidates", $"""
            SELECT flag, CAST(COUNT(*) AS BIGINT) AS projects, SUM(amount) AS amount
            FROM mart_cut_candidates WHERE fiscal_year = @year AND {inScope} GROUP BY flag ORDER BY flag
            """, p, ct);
    }

    /// <summary>
    /// The <paramref name="perFlag"/> largest amounts of each of <paramref name="flags"/> in the year (a province has
    /// ≈200,000 rows; the export has all): one top-N per flag, not a window sorting the whole year.
    /// </summary>
    public Task<IReadOnlyList<CutCandidate>> TopAsync(DataScope scope, int year, IReadOnlyList<string> flags, int perFlag,
        CancellationToken ct = default)
    {
        if (flags.Count == 0) return Task.FromResult<IReadOnlyList<CutCandidate>>([]);
        var (inScope, p) = Scoped(scope, "department_code", new { year, perFlag = Math.Clamp(perFlag, 1, 5000) });
        var parts = flags.Select((flag, i) =>
        {
            p.Add($"flag{i}", flag);
            return $"""
                (SELECT fiscal_year, project_code, flag, suggested_change_pct, amount, reason, basis, basis_quote FROM mart_cut_candidates
                 WHERE fiscal_year = @year AND flag = @flag{i} AND {inScope} ORDER BY amount DESC NULLS LAST, project_code LIMIT @perFlag)
                """;
        });
        return ListAsync<CutCandidate>("mart_cut_candidates", $"""
            WITH top_rows AS (
            {string.Join("\nUNION ALL\n", parts)}
            )
            SELECT r.fiscal_year, r.project_code, p.project_name,
                   dep.department_name, r.flag, r.suggested_change_pct,
                   r.amount, r.reason, r.basis,
                   r.basis_quote
            FROM top_rows r
            LEFT JOIN dim_project p ON p.project_code = r.project_code
            LEFT JOIN dim_department dep ON dep.department_code = p.department_code
            ORDER BY r.flag, r.amount DESC NULLS LAST, r.project_code
            """, p, ct);
    }
}
