using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>The project page's header (dim_project with its department).</summary>
public sealed class ProjectHeader
{
    public string ProjectCode { get; set; } = "";
    public string? ProjectName { get; set; }
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }

    /// <summary>实施单位.</summary>
    public string? ImplementingUnit { get; set; }
    public string? ProjectType { get; set; }
    public string? ProjectLevel { get; set; }
    public string? FundNature { get; set; }
    public bool? IsKey { get; set; }
    public string? StartDate { get; set; }
    public string? EndDate { get; set; }
    public string? AnnualGoal { get; set; }
}

/// <summary>One budget line (资金来源) of one period.</summary>
public sealed class BudgetLine
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public string FundLine { get; set; } = "";
    public decimal? InitialBudget { get; set; }
    public decimal? AdjustedBudget { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public int? CarryoverYears { get; set; }

    /// <summary>期间计划执行数 (表2-2 半年计划执行数).</summary>
    public decimal? PlannedExecution { get; set; }

    /// <summary>Where 预算数 came from: adjusted | initial | declared (表2-1) | plan (计划执行数 ÷ 序时进度).</summary>
    public string? BudgetRule { get; set; }

    /// <summary>是否偏差 as the department ticked it (表2-2).</summary>
    public string? DeviationFlag { get; set; }

    /// <summary>
    /// The derivation of 预算数 and 执行进度 for the project page (sql/models/core/README.forms.md): the plan rule when the
    /// form printed no 预算数 and nothing was declared — r = 实际执行数 ÷ 计划执行数 × 100, judged as if 执行率 were
    /// r × 序时进度 —, the declared 全年预算数 of 表2-1, else 调整后 / 年初预算数.
    /// </summary>
    public string? RuleText(decimal? scheduleRate)
    {
        static string N(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        static string P(decimal v) => N(v * 100) + "%";
        return BudgetRule switch
        {
            "plan" when PlannedExecution is { } plan && plan != 0 && Executed is { } done && scheduleRate is { } s =>
                $"计划执行数口径（表2-2 未列预算数，且无表2-1 申报）：r = 实际执行数 ÷ 计划执行数 × 100 = {N(done)} ÷ {N(plan)} × 100 = {N(done / plan * 100)}；"
                + $"按 执行率 = r × 序时进度 = {P(done / plan * s)} 判断（预算数 = 计划执行数 ÷ 序时进度 = {N(plan)} ÷ {P(s)} = {(Budget is { } b ? N(b) : "—")}），"
                + "预警档次与偏差指数同一般项目",
            "plan" => "计划执行数口径（表2-2 未列预算数，且无表2-1 申报）：r = 实际执行数 ÷ 计划执行数 × 100，按 执行率 = r × 序时进度 判断",
            "declared" => $"申报预算口径：监控表未列预算数，采用表2-1 申报的全年预算数 {(Budget is { } d ? N(d) : "—")} 万元；"
                + $"执行率 = 执行数 ÷ 申报预算数{(Budget is { } b2 && b2 != 0 && Executed is { } e ? $" = {N(e)} ÷ {N(b2)} = {P(e / b2)}" : "")}",
            "adjusted" => "预算数 = 调整后预算数",
            "initial" => "预算数 = 年初预算数",
            _ => null,
        };
    }
}

/// <summary>年度总体目标 as a form states it (mart_project_goal): the goal set and how far it is reached.</summary>
public sealed class ProjectGoalRow
{
    public int FiscalYear { get; set; }
    public string Stage { get; set; } = "";
    public string Period { get; set; } = "";
    public string? AnnualGoal { get; set; }
    public string? GoalProgress { get; set; }
}

/// <summary>One indicator at a monitoring period, as submitted (fct_indicator_progress).</summary>
public sealed class IndicatorProgressRow
{
    public string? Level1 { get; set; }
    public string? Level2 { get; set; }
    public string? Level3 { get; set; }
    public string? Category { get; set; }
    public string? Comparator { get; set; }
    public string? AnnualTarget { get; set; }
    public string? Unit { get; set; }
    public string? PeriodTarget { get; set; }
    public string? PeriodActual { get; set; }
    public string? ForecastActual { get; set; }
    public string? DeviationCauses { get; set; }
    public string? CauseNote { get; set; }
    public string? Improvement { get; set; }
    public string? Possibility { get; set; }
    public long BatchId { get; set; }
    public int SourceRow { get; set; }
}

public sealed class CorrectionRow
{
    public int FiscalYear { get; set; }
    public string? Quarter { get; set; }
    public string? Level3 { get; set; }
    public string? FinalTarget { get; set; }
    public string? QuarterTarget { get; set; }
    public string? Actual { get; set; }
    public string? Deviation { get; set; }
    public string? Problems { get; set; }
    public string? Measures { get; set; }
    public long BatchId { get; set; }
}

public sealed class AdjustmentRow
{
    public int FiscalYear { get; set; }
    public string? Reason { get; set; }
    public decimal? OriginalAmount { get; set; }
    public decimal? AdjustedAmount { get; set; }
    public string? Level3 { get; set; }
    public string? OriginalTarget { get; set; }
    public string? AdjustedTarget { get; set; }
    public string? Explanation { get; set; }
    public long BatchId { get; set; }
}

public sealed class SelfEvaluationRow
{
    public int FiscalYear { get; set; }
    public string? Level1 { get; set; }
    public string? Level3 { get; set; }
    public string? Comparator { get; set; }
    public string? AnnualTarget { get; set; }
    public string? Unit { get; set; }
    public string? Actual { get; set; }
    public decimal? Weight { get; set; }
    public decimal? PublishedScore { get; set; }
    public string? DeviationNote { get; set; }
}

/// <summary>A batch (submitted file) that feeds the project's rows.</summary>
public sealed class BatchRow
{
    public long BatchId { get; set; }
    public string FileName { get; set; } = "";
    public string Kind { get; set; } = "";
    public int RowCount { get; set; }
    public int WarningCount { get; set; }
    public int ErrorCount { get; set; }
    public DateTime LoadedAt { get; set; }
    public string Status { get; set; } = "";
}

/// <summary>
/// 指标推导: one indicator of a project at a monitoring period (stage 监控) or, when never monitored that year, at the
/// year-end self-evaluation only (stage 自评, period '自评') — mart_indicator_derivation.
/// </summary>
public sealed class IndicatorDerivationRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public int PeriodSort { get; set; }
    public string Stage { get; set; } = "";
    public string ProjectCode { get; set; } = "";
    public string? Level1 { get; set; }
    public string? Level2 { get; set; }
    public string? Level3 { get; set; }
    public string? Category { get; set; }

    /// <summary>The target as submitted: 指标性质, 年度指标值, 计量单位.</summary>
    public string? Comparator { get; set; }
    public string? AnnualTarget { get; set; }
    public string? Unit { get; set; }

    /// <summary>The target as parsed: ≥ / ≤ / = / 定性, number, normalised unit.</summary>
    public string? TargetComparator { get; set; }
    public decimal? TargetValue { get; set; }
    public string? TargetUnit { get; set; }
    public bool? IsCumulative { get; set; }
    public bool? IsQualitative { get; set; }
    public string? PeriodTarget { get; set; }
    public decimal? PeriodTargetValue { get; set; }

    /// <summary>The actual as submitted (期间执行情况) and as parsed (number or 达成 / 部分达成 / 未达成).</summary>
    public string? PeriodActual { get; set; }
    public string? ForecastActual { get; set; }
    public decimal? ActualValue { get; set; }
    public string? ActualBand { get; set; }

    /// <summary>序时进度 and 期间应完成 with its basis.</summary>
    public decimal? ScheduleRate { get; set; }
    public decimal? ExpectedValue { get; set; }
    public string? ExpectedBasis { get; set; }
    public string? ProgressRuleCode { get; set; }
    public decimal? ProgressR { get; set; }
    public string? BaseLight { get; set; }
    public string? Possibility { get; set; }
    public string? PossibilityOverride { get; set; }
    public string? Light { get; set; }
    public decimal? Shortfall { get; set; }
    public string? DeviationCauses { get; set; }
    public string? CauseNote { get; set; }
    public string? Improvement { get; set; }

    /// <summary>The rules applied, in Chinese.</summary>
    public string? ProgressRule { get; set; }
    public string? ExpectedRule { get; set; }
    public string? OverrideRule { get; set; }

    /// <summary>Year-end self-evaluation: A (target), B (actual), 分值, 得分 recomputed and published.</summary>
    public string? ScoreTarget { get; set; }
    public decimal? ScoreTargetValue { get; set; }
    public string? ScoreActual { get; set; }
    public decimal? ScoreActualValue { get; set; }
    public string? ScoreActualBand { get; set; }
    public decimal? Weight { get; set; }
    public decimal? RecomputedScore { get; set; }
    public decimal? PublishedScore { get; set; }
    public decimal? ScoreGap { get; set; }
    public bool? PublishedBandMismatch { get; set; }
    public string? ScoreRuleCode { get; set; }
    public string? ScoreRule { get; set; }
    public long BatchId { get; set; }
    public int SourceRow { get; set; }

    /// <summary>完成年度目标值 as a percentage to one place (实际 / 年度指标值; mart_indicator_derivation).</summary>
    public decimal? CompletionPercent { get; set; }

    /// <summary>偏差率 as a percentage to one place, signed ((实际 − 期间应完成) / 期间应完成).</summary>
    public decimal? DeviationPercent { get; set; }

    /// <summary>超前 / 滞后 / 符合序时进度 (a ≤ target above its expected value is 滞后).</summary>
    public string? DeviationDirection { get; set; }
}

/// <summary>The project's year-end 自评 total (mart_project_grade): recomputed beside published, the gap flag and the grade.</summary>
public sealed class ProjectGradeRow
{
    public int FiscalYear { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public decimal? ExecutionRate { get; set; }
    public decimal? BudgetWeight { get; set; }
    public decimal? BudgetScore { get; set; }
    public decimal? PublishedBudgetScore { get; set; }
    public decimal? IndicatorScore { get; set; }
    public decimal? RecomputedScore { get; set; }
    public decimal? PublishedScore { get; set; }
    public decimal? ScoreGap { get; set; }
    public bool HasScoreGap { get; set; }
    public string Grade { get; set; } = "";
    public string? Flags { get; set; }
}

/// <summary>纠偏跟踪 (mart_indicator_correction): a deviating, corrected or adjusted indicator at a monitoring period.</summary>
public sealed class CorrectionTrackingRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";
    public string Quarter { get; set; } = "";
    public string ProjectCode { get; set; } = "";
    public string? Level3 { get; set; }
    public string? AnnualTarget { get; set; }
    public string? PeriodActual { get; set; }
    public string? Light { get; set; }
    public string? CorrectionProblems { get; set; }
    public string? CorrectionMeasures { get; set; }
    public string? OriginalTarget { get; set; }
    public string? AdjustedTarget { get; set; }
    public string? AdjustmentReason { get; set; }

    /// <summary>附件3 调整后预期目标: 项目（政策）产出, 预期成效, 目标完成度; 具体工作任务／工作量; 计划时间安排.</summary>
    public string? AdjustedOutput { get; set; }
    public string? AdjustedOutcome { get; set; }
    public string? AdjustedCompletion { get; set; }
    public string? AdjustmentWorkTasks { get; set; }
    public string? AdjustmentSchedule { get; set; }

    /// <summary>是否偏差 as the department ticked it in its monitoring form (表2-2).</summary>
    public string? DeclaredDeviation { get; set; }

    /// <summary>调整后预期目标 and the plan in one line, or null when the 调整表 gave none.</summary>
    public string? AdjustedGoal => string.Join("；", new[]
    {
        ("产出", AdjustedOutput), ("预期成效", AdjustedOutcome), ("目标完成度", AdjustedCompletion),
        ("工作任务", AdjustmentWorkTasks), ("时间安排", AdjustmentSchedule),
    }.Where(x => !string.IsNullOrWhiteSpace(x.Item2)).Select(x => $"{x.Item1}：{x.Item2}")) is { Length: > 0 } s ? s : null;

    /// <summary>已纠偏 / 申请调整目标 / 未纠偏.</summary>
    public string CorrectionStatus { get; set; } = "";
}

/// <summary>项目详情: everything known about one project.</summary>
public sealed class ProjectDrillQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public Task<ProjectHeader?> HeaderAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project });
        return SingleAsync<ProjectHeader>("dim_project", $"""
            SELECT p.*, dep.department_name FROM dim_project p
            LEFT JOIN dim_department dep ON dep.department_code = p.department_code
            WHERE p.project_code = @project AND {inScope}
            """, p, ct);
    }

    /// <summary>Execution against 序时进度 in every year and period the project was monitored.</summary>
    public Task<IReadOnlyList<DeviationRow>> DeviationAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project });
        return ListAsync<DeviationRow>("mart_project_deviation", $"""
            SELECT d.* FROM mart_project_deviation d
            LEFT JOIN dim_period p ON p.fiscal_year = d.fiscal_year AND p.period = d.period
            WHERE d.project_code = @project AND {inScope}
            ORDER BY d.fiscal_year, p.sort_order, d.period
            """, p, ct);
    }

    public Task<IReadOnlyList<BudgetLine>> BudgetLinesAsync(DataScope scope, string project, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year, period });
        return ListAsync<BudgetLine>("fct_budget_execution", $"""
            SELECT fiscal_year, period, fund_line, initial_budget, adjusted_budget, budget, executed, carryover_years,
                   planned_execution, budget_rule, deviation_flag
            FROM fct_budget_execution
            WHERE project_code = @project AND fiscal_year = @year AND period = @period AND {inScope}
            ORDER BY source_row
            """, p, ct);
    }

    public Task<IReadOnlyList<IndicatorProgressRow>> IndicatorsAsync(DataScope scope, string project, int year, string period, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year, period });
        return ListAsync<IndicatorProgressRow>("fct_indicator_progress", $"""
            SELECT * FROM fct_indicator_progress
            WHERE project_code = @project AND fiscal_year = @year AND period = @period AND {inScope}
            ORDER BY source_row
            """, p, ct);
    }

    /// <summary>The full 指标推导 of one project and year: every monitoring period, then the self-evaluation-only indicators.</summary>
    public Task<IReadOnlyList<IndicatorDerivationRow>> DerivationAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return ListAsync<IndicatorDerivationRow>("mart_indicator_derivation", $"""
            SELECT * FROM mart_indicator_derivation
            WHERE project_code = @project AND fiscal_year = @year AND {inScope}
            ORDER BY period_sort, period, source_row, level1, level2, level3
            """, p, ct);
    }

    /// <summary>自评 total and grade of one project and year.</summary>
    public Task<ProjectGradeRow?> GradeAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return SingleAsync<ProjectGradeRow>("mart_project_grade", $"""
            SELECT * FROM mart_project_grade WHERE project_code = @project AND fiscal_year = @year AND {inScope}
            """, p, ct);
    }

    /// <summary>预算安排建议 flags (mart_cut_candidates) of one project and year, with reason and basis.</summary>
    public Task<IReadOnlyList<CutCandidate>> ConsequencesAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return ListAsync<CutCandidate>("mart_cut_candidates", $"""
            SELECT * FROM mart_cut_candidates WHERE project_code = @project AND fiscal_year = @year AND {inScope} ORDER BY flag
            """, p, ct);
    }

    public Task<IReadOnlyList<CorrectionRow>> CorrectionsAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project });
        return ListAsync<CorrectionRow>("mart_project_correction", $"""
            SELECT * FROM mart_project_correction WHERE project_code = @project AND {inScope} ORDER BY fiscal_year DESC, quarter, source_row
            """, p, ct);
    }

    public Task<IReadOnlyList<AdjustmentRow>> AdjustmentsAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project });
        return ListAsync<AdjustmentRow>("mart_project_adjustment", $"""
            SELECT * FROM mart_project_adjustment WHERE project_code = @project AND {inScope} ORDER BY fiscal_year DESC, source_row
            """, p, ct);
    }

    public Task<IReadOnlyList<SelfEvaluationRow>> SelfEvaluationAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project });
        return ListAsync<SelfEvaluationRow>("fct_self_evaluation", $"""
            SELECT * FROM fct_self_evaluation WHERE project_code = @project AND {inScope} ORDER BY fiscal_year DESC, source_row
            """, p, ct);
    }

    /// <summary>The goal texts the project's forms of one year state (申报, each monitoring period, 自评).</summary>
    public Task<IReadOnlyList<ProjectGoalRow>> GoalsAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return ListAsync<ProjectGoalRow>("mart_project_goal", $"""
            SELECT * FROM mart_project_goal WHERE project_code = @project AND fiscal_year = @year AND {inScope}
            ORDER BY CASE stage WHEN '申报' THEN 0 WHEN '监控' THEN 1 ELSE 2 END, period
            """, p, ct);
    }

    /// <summary>纠偏跟踪 of one project and year: each red/yellow, corrected or adjusted indicator and what was submitted for it.</summary>
    public Task<IReadOnlyList<CorrectionTrackingRow>> CorrectionTrackingAsync(DataScope scope, string project, int year, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project, year });
        return ListAsync<CorrectionTrackingRow>("mart_indicator_correction", $"""
            SELECT * FROM mart_indicator_correction WHERE project_code = @project AND fiscal_year = @year AND {inScope}
            ORDER BY period_sort, level1, level2, level3
            """, p, ct);
    }

    /// <summary>提交记录: the batches whose rows are the project's current data.</summary>
    public Task<IReadOnlyList<BatchRow>> SubmissionsAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, ProjectDepartment, new { project });
        return ListAsync<BatchRow>("etl_batch", $"""
            WITH project_batches AS (
                SELECT batch_id FROM fct_budget_execution WHERE project_code = @project
                UNION SELECT batch_id FROM fct_indicator_progress WHERE project_code = @project
                UNION SELECT batch_id FROM fct_self_evaluation WHERE project_code = @project
                UNION SELECT batch_id FROM fct_correction WHERE project_code = @project
                UNION SELECT batch_id FROM fct_adjustment WHERE project_code = @project
            )
            SELECT b.* FROM etl_batch b INNER JOIN project_batches pb ON pb.batch_id = b.batch_id AND {inScope}
            ORDER BY b.loaded_at DESC, b.batch_id DESC
            """, p, ct);
    }
}
