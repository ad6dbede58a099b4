-- materialized: table
-- 项目偏差: per project and (fiscal_year, period), budget against execution and 序时进度.
--   budget, executed  the 年度资金总额 line when it is there with a non-zero budget; else the sum of the
--                     其中 (source) lines; else the sum of the 子项目 lines (budget_basis says which)
--   execution_rate    执行率 = executed / budget (NULL when budget is 0)
--   execution_progress r = 执行率 / 序时进度 × 100
--   execution_warning the execution light: the warning_threshold band (scope 'execution') holding r
--   warning           the project light: the worst (warning_threshold severity) of execution_warning and the
--                     lights of its indicators (fct_indicator_summary; 未填报 grey ones do not count)
--   execution_deviation  50 × min(1, max(0, 序时进度 − 执行率) / 序时进度), the execution half of 偏差指数
--   indicator_deviation  50 × mean shortfall over the reported indicators (0 when none is reported)
--   deviation_index   偏差指数 = execution_deviation + indicator_deviation (0–100; a budget of 0 counts 0 for execution)
--   deviation_rank    1 = worst within (fiscal_year, period); ties share a rank
-- Ratios go through DECIMAL(18,8) before rounding to 4 places: DuckDB divides decimals as DOUBLE, and
-- rounding a DOUBLE such as 0.35624999… directly would disagree with PostgreSQL's exact 0.35625 → 0.3563.
with execution as (
    select * from {{ ref('fct_budget_execution') }}
),

fund_lines as (
    select * from {{ ref('dim_fund_line') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

execution_bands as (
    select * from {{ ref('warning_threshold') }}
    where scope = 'execution'
),

light_severities as (
    select light, max(severity) as severity
    from {{ ref('warning_threshold') }}
    group by light
),

line_kind_totals as (
    select
        execution.fiscal_year,
        execution.period,
        execution.project_code,
        fund_lines.line_kind,
        sum(execution.budget) as budget,
        sum(execution.executed) as executed,
        max(execution.batch_id) as batch_id
    from execution
    inner join fund_lines on execution.fund_line = fund_lines.fund_line
    group by
        execution.fiscal_year,
        execution.period,
        execution.project_code,
        fund_lines.line_kind
),

ranked_bases as (
    select
        line_kind_totals.*,
        row_number() over (
            partition by fiscal_year, period, project_code
            order by
                case when budget <> 0 then 0 else 1 end,
                case line_kind when 'total' then 1 when 'source' then 2 else 3 end
        ) as basis_rank
    from line_kind_totals
),

project_budget as (
    select
        fiscal_year,
        period,
        project_code,
        line_kind as budget_basis,
        cast(budget as decimal(18,4)) as budget,
        cast(executed as decimal(18,4)) as executed,
        batch_id
    from ranked_bases
    where basis_rank = 1
),

against_schedule as (
    select
        project_budget.*,
        periods.schedule_rate,
        case
            when project_budget.budget <> 0 then project_budget.executed / project_budget.budget
        end as unrounded_execution_rate
    from project_budget
    left join periods
        on project_budget.fiscal_year = periods.fiscal_year
        and project_budget.period = periods.period
),

rated as (
    select
        against_schedule.*,
        cast(round(cast(unrounded_execution_rate as decimal(18,8)), 4) as decimal(18,4)) as execution_rate,
        case
            when schedule_rate > 0
                then cast(round(cast(unrounded_execution_rate * 100 / schedule_rate as decimal(18,8)), 4) as decimal(18,4))
        end as execution_progress,
        case
            when unrounded_execution_rate is null or schedule_rate is null or schedule_rate <= 0 then null
            when unrounded_execution_rate >= schedule_rate then cast(0 as decimal(18,4))
            when unrounded_execution_rate <= 0 then cast(50 as decimal(18,4))
            else cast(round(cast(50 * (schedule_rate - unrounded_execution_rate) / schedule_rate as decimal(18,8)), 4) as decimal(18,4))
        end as execution_deviation
    from against_schedule
),

lit as (
    select
        rated.*,
        execution_bands.light as execution_warning
    from rated
    left join execution_bands
        on rated.execution_progress is not null
        and (execution_bands.min_r is null or rated.execution_progress >= execution_bands.min_r)
        and (execution_bands.max_r is null or rated.execution_progress < execution_bands.max_r)
),

indicator_summary as (
    select
        entity_code as project_code,
        fiscal_year,
        period,
        indicator_count,
        reported_indicator_count,
        red_indicator_count,
        mean_shortfall,
        worst_indicator_severity
    from {{ ref('fct_indicator_summary') }}
    where entity_kind = 'project'
),

combined as (
    select
        lit.*,
        coalesce(indicator_summary.indicator_count, 0) as indicator_count,
        coalesce(indicator_summary.reported_indicator_count, 0) as reported_indicator_count,
        coalesce(indicator_summary.red_indicator_count, 0) as red_indicator_count,
        indicator_summary.mean_shortfall,
        case
            when execution_severity.severity is null then indicator_summary.worst_indicator_severity
            when indicator_summary.worst_indicator_severity is null then execution_severity.severity
            when indicator_summary.worst_indicator_severity > execution_severity.severity
                then indicator_summary.worst_indicator_severity
            else execution_severity.severity
        end as worst_severity
    from lit
    left join light_severities as execution_severity on lit.execution_warning = execution_severity.light
    left join indicator_summary
        on lit.fiscal_year = indicator_summary.fiscal_year
        and lit.period = indicator_summary.period
        and lit.project_code = indicator_summary.project_code
),

indexed as (
    select
        combined.*,
        cast(round(cast(50 * coalesce(mean_shortfall, 0) as decimal(18,8)), 4) as decimal(18,4)) as indicator_deviation,
        cast(coalesce(execution_deviation, 0)
             + cast(round(cast(50 * coalesce(mean_shortfall, 0) as decimal(18,8)), 4) as decimal(18,4))
             as decimal(18,4)) as deviation_index,
        (select min(light) from light_severities where light_severities.severity = combined.worst_severity) as warning
    from combined
),

ranked as (
    select
        indexed.*,
        rank() over (partition by fiscal_year, period order by deviation_index desc) as deviation_rank
    from indexed
),

project_deviation as (
    select
        ranked.fiscal_year,
        ranked.period,
        projects.department_code,
        departments.department_name,
        ranked.project_code,
        projects.project_name,
        projects.project_type,
        projects.fund_nature,
        projects.is_key,
        ranked.budget,
        ranked.executed,
        ranked.execution_rate,
        ranked.schedule_rate,
        ranked.execution_progress,
        ranked.warning,
        ranked.execution_deviation,
        ranked.budget_basis,
        ranked.batch_id,
        ranked.execution_warning,
        ranked.indicator_count,
        ranked.reported_indicator_count,
        ranked.red_indicator_count,
        ranked.mean_shortfall,
        ranked.indicator_deviation,
        ranked.deviation_index,
        cast(ranked.deviation_rank as integer) as deviation_rank
    from ranked
    left join projects on ranked.project_code = projects.project_code
    left join departments on projects.department_code = departments.department_code
)

select * from project_deviation
