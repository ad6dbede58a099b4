using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One self-evaluated indicator's score (fct_indicator_score), for the 评价结果反馈书.</summary>
public sealed class IndicatorScoreRow
{
    public string? Level1 { get; set; }
    public string? Level2 { get; set; }
    public string? Level3 { get; set; }
    public string? Comparator { get; set; }
    public string? AnnualTarget { get; set; }
    public string? Unit { get; set; }
    public string? Actual { get; set; }
    public decimal? Weight { get; set; }
    public decimal? RecomputedScore { get; set; }
    public decimal? PublishedScore { get; set; }
    public string? DeviationNote { get; set; }

    /// <summary>unreported / band / at_most / at_least.</summary>
    public string? Rule { get; set; }

    /// <summary>分值合计: Σ分值 of the entity's indicators of the year (0 when none has one), the same on every row.</summary>
    public decimal? WeightTotal { get; set; }
}

/// <summary>部门整体自评等级 of one year (mart_department_grade).</summary>
public sealed class DepartmentGradeRow
{
    public int FiscalYear { get; set; }
    public string DepartmentCode { get; set; } = "";
    public string? DepartmentName { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public decimal? ExecutionRate { get; set; }
    public decimal? BudgetScore { get; set; }
    public decimal? IndicatorScore { get; set; }
    public decimal? RecomputedScore { get; set; }
    public decimal? PublishedScore { get; set; }
    public decimal? ScoreGap { get; set; }
    public bool HasScoreGap { get; set; }
    public string Grade { get; set; } = "";
    public int? ScoreRank { get; set; }
    public string? Flags { get; set; }
}

/// <summary>
/// The reports (绩效监控报告 附件4, 评价结果反馈书 表2-B / 表1-B, prefilled 纠偏表 / 调整表): the figures of one project or
/// department, from the same marts as the project page and the overview, so the files and the dashboard agree to the cent.
/// Every query takes the caller's scope first, as the other query classes do: outside it, nothing.
/// </summary>
public sealed class ReportQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>The department of <c>@entity</c>: the project's, or the department itself (fct_indicator_score's entities).</summary>
    private const string EntityDepartment =
        "(CASE WHEN @entityKind = 'project' THEN (SELECT sp.department_code FROM dim_project sp WHERE sp.project_code = @entity) ELSE @entity END)";

    /// <summary>Budget, execution and 序时进度 of the project at the period (mart_project_deviation).</summary>
    public Task<DeviationRow?> DeviationAtAsync(DataScope scope, string project, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year, period });
        return SingleAsync<DeviationRow>("mart_project_deviation", $"""
            SELECT * FROM mart_project_deviation
            WHERE project_code = @project AND fiscal_year = @year AND period = @period AND {inScope}
            """, p, ct);
    }

    /// <summary>Execution against 序时进度 in every period of the year up to and including <paramref name="period"/>.</summary>
    public Task<IReadOnlyList<DeviationRow>> ExecutionSeriesAsync(DataScope scope, string project, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year, period });
        return ListAsync<DeviationRow>("mart_project_deviation", $"""
            SELECT d.* FROM mart_project_deviation d
            INNER JOIN dim_period p ON p.fiscal_year = d.fiscal_year AND p.period = d.period
            WHERE d.project_code = @project AND d.fiscal_year = @year
              AND p.sort_order <= (SELECT MAX(sort_order) FROM dim_period WHERE fiscal_year = @year AND period = @period) AND {inScope}
            ORDER BY p.sort_order, d.period
            """, p, ct);
    }

    /// <summary>Every indicator monitored at the period, with its parsed target, expected value and light (mart_indicator_derivation).</summary>
    public Task<IReadOnlyList<IndicatorDerivationRow>> IndicatorsAtAsync(DataScope scope, string project, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year, period });
        return ListAsync<IndicatorDerivationRow>("mart_indicator_derivation", $"""
            SELECT * FROM mart_indicator_derivation
            WHERE project_code = @project AND fiscal_year = @year AND period = @period AND stage = '监控' AND {inScope}
            ORDER BY source_row, level1, level2, level3
            """, p, ct);
    }

    /// <summary>The quarter <paramref name="period"/> ends in (dim_period, from the period seed: 1-6月 → Q2), or null
    /// for a period the seed does not list (自评).</summary>
    public Task<string?> QuarterAsync(int year, string period, CancellationToken ct = default) =>
        SingleAsync<string?>("dim_period",
            "SELECT quarter FROM dim_period WHERE fiscal_year = @year AND period = @period", new { year, period }, ct);

    /// <summary>纠偏表 rows the project submitted for the year (mart_project_correction: the latest batch per quarter).</summary>
    public Task<IReadOnlyList<CorrectionRow>> CorrectionsAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return ListAsync<CorrectionRow>("mart_project_correction", $"""
            SELECT * FROM mart_project_correction WHERE project_code = @project AND fiscal_year = @year AND {inScope} ORDER BY quarter, source_row
            """, p, ct);
    }

    /// <summary>调整表 rows the project submitted for the year (mart_project_adjustment: the latest batch).</summary>
    public Task<IReadOnlyList<AdjustmentRow>> AdjustmentsAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return ListAsync<AdjustmentRow>("mart_project_adjustment", $"""
            SELECT * FROM mart_project_adjustment WHERE project_code = @project AND fiscal_year = @year AND {inScope} ORDER BY source_row
            """, p, ct);
    }

    public Task<Department?> DepartmentAsync(DataScope scope, string department, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "@department", new { department });
        return SingleAsync<Department>("dim_department", $"""
            SELECT department_code, COALESCE(department_name, department_code) AS department_name
            FROM dim_department WHERE department_code = @department AND {inScope}
            """, p, ct);
    }

    /// <summary>The department's projects at the period, worst deviation first (deviation_rank 1 = worst).</summary>
    public Task<IReadOnlyList<DeviationRow>> DepartmentProjectsAsync(DataScope scope, string department, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "@department", new { department, year, period });
        return ListAsync<DeviationRow>("mart_project_deviation", $"""
            SELECT * FROM mart_project_deviation
            WHERE department_code = @department AND fiscal_year = @year AND period = @period AND {inScope}
            ORDER BY deviation_rank NULLS LAST, deviation_index DESC NULLS LAST, project_code
            """, p, ct);
    }

    /// <summary>The department's projects flagged <paramref name="flag"/> in the year (mart_cut_candidates), by project.</summary>
    public Task<IReadOnlyList<CutCandidate>> DepartmentFlagsAsync(DataScope scope, string department, int year, string flag, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "@department", new { department, year, flag });
        return ListAsync<CutCandidate>("mart_cut_candidates", $"""
            SELECT * FROM mart_cut_candidates
            WHERE department_code = @department AND fiscal_year = @year AND flag = @flag AND {inScope}
            ORDER BY project_code
            """, p, ct);
    }

    /// <summary>The department's row of the deviation heatmap (mart_department_heatmap), one cell per indicator category.</summary>
    public Task<IReadOnlyList<HeatmapCell>> DepartmentHeatmapAsync(DataScope scope, string department, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "@department", new { department, year, period });
        return ListAsync<HeatmapCell>("mart_department_heatmap", $"""
            SELECT department_code, department_name,
                   indicator_category, CAST(indicator_count AS BIGINT) AS indicator_count,
                   mean_shortfall, CAST(red_count AS BIGINT) AS red_count
            FROM mart_department_heatmap
            WHERE department_code = @department AND fiscal_year = @year AND period = @period AND {inScope}
            ORDER BY indicator_category
            """, p, ct);
    }

    /// <summary>Self-evaluated indicators with their recomputed scores (fct_indicator_score) of a project or a department.</summary>
    public Task<IReadOnlyList<IndicatorScoreRow>> IndicatorScoresAsync(DataScope scope, string entityKind, string entity, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, EntityDepartment, new { entityKind, entity, year });
        return ListAsync<IndicatorScoreRow>("fct_indicator_score", $"""
            SELECT level1, level2, level3, comparator, annual_target, unit, actual, weight, recomputed_score, published_score,
                   deviation_note, rule, COALESCE(SUM(weight) OVER (), 0) AS weight_total
            FROM fct_indicator_score
            WHERE entity_kind = @entityKind AND entity_code = @entity AND fiscal_year = @year AND {inScope}
            ORDER BY source_row
            """, p, ct);
    }

    /// <summary>When the self-evaluation was submitted: the load time of the latest batch feeding the scores.</summary>
    public Task<DateTime?> SelfEvaluationLoadedAsync(DataScope scope, string entityKind, string entity, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, EntityDepartment, new { entityKind, entity, year });
        return SingleAsync<DateTime?>("fct_indicator_score", $"""
            SELECT MAX(b.loaded_at) FROM fct_indicator_score s
            INNER JOIN etl_batch b ON b.batch_id = s.batch_id
            WHERE s.entity_kind = @entityKind AND s.entity_code = @entity AND s.fiscal_year = @year AND {inScope}
            """, p, ct);
    }

    public Task<DepartmentGradeRow?> DepartmentGradeAsync(DataScope scope, string department, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "@department", new { department, year });
        return SingleAsync<DepartmentGradeRow>("mart_department_grade", $"""
            SELECT * FROM mart_department_grade WHERE department_code = @department AND fiscal_year = @year AND {inScope}
            """, p, ct);
    }

    /// <summary>预算安排建议 flags of the department's projects in the year (mart_cut_candidates), each with its flag's 涉及金额.</summary>
    public Task<IReadOnlyList<CutCandidate>> DepartmentCutsAsync(DataScope scope, string department, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "@department", new { department, year });
        return ListAsync<CutCandidate>("mart_cut_candidates", $"""
            SELECT c.fiscal_year, c.project_code, p.project_name, dep.department_name, c.flag, c.suggested_change_pct,
                   c.amount, c.reason, c.basis, c.basis_quote,
                   COALESCE(SUM(c.amount) OVER (PARTITION BY c.flag), 0) AS flag_amount
            FROM mart_cut_candidates c
            INNER JOIN dim_project p ON p.project_code = c.project_code
            LEFT JOIN dim_department dep ON dep.department_code = p.department_code
            WHERE p.department_code = @department AND c.fiscal_year = @year AND {inScope}
            ORDER BY c.flag, c.amount DESC NULLS LAST, c.project_code
            """, p, ct);
    }
}
