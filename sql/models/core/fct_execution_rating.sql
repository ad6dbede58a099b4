-- materialized: incremental
-- unique_key: fiscal_year, period, entity_kind, entity_code
-- 执行评价 (execution rating): one row per entity (project or department) and (fiscal_year, period) — the one place
-- where 执行率, 执行进度 r, the execution light, the project/department light and 偏差指数 are computed, for
-- mart_project_deviation (projects) and mart_department_ranking (部门整体) alike (DESIGN §3).
--   budget, executed  project: the 年度资金总额 line when it is there with a non-zero budget; else the sum of the
--                     其中 (source) lines; else the sum of the 子项目 lines (budget_basis says which).
--                     department (表1-2): the 年度资金总额 line when non-zero, else the sum of the other lines; 表1-2
--                     prints no 预算数, so a line without one takes the 全年预算数 the department declared in 表1-1
--                     (stg_dept_declaration_fund), else is judged against 期间计划执行数 ÷ 序时进度 (as
--                     fct_budget_execution does for 表2-2)
--   budget_rule       where the 预算数 came from: 'adjusted' | 'initial' | 'declared' | 'plan' (the first of its lines')
--   execution_rate    执行率 = executed / budget (NULL when budget is 0)
--   execution_progress r = 执行率 / 序时进度 × 100
--   execution_warning the execution light: the warning_threshold band (scope 'execution') holding r
--   warning           the entity's light: the worst (warning_threshold severity) of execution_warning and the
--                     lights of its indicators (fct_indicator_summary; 未填报 grey ones do not count)
--   execution_deviation  50 × min(1, max(0, 序时进度 − 执行率) / 序时进度), the execution half of 偏差指数
--                     (NULL when 执行率 or 序时进度 is unknown); a department's reads its 执行率 rounded to 4 places,
--                     a project's the exact ratio (kept as the two marts computed it before this model)
--   indicator_deviation  50 × mean shortfall over the reported indicators (0 when none is reported)
--   deviation_index   偏差指数 = execution_deviation + indicator_deviation (0–100; an unknown execution half counts 0)
-- Ratios go through DECIMAL(18,8) before rounding to 4 places: DuckDB divides decimals as DOUBLE, and
-- rounding a DOUBLE such as 0.35624999… directly would disagree with PostgreSQL's exact 0.35625 → 0.3563.
-- 增量 (issue 15): an entity's rows read only its own fund lines and indicator summary, so an incremental build
-- recomputes the entities of the touched (年度, 期间, 部门) slices of build_slice and keeps every other row.
with execution as (
    select * from {{ ref('fct_budget_execution') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.period = source.period
            and touched.entity_kind = 'project' and touched.entity_code = source.project_code
    )
    {% endif %}
),

department_funds_submitted as (
    select * from {{ ref('stg_dept_monitoring_fund') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.department_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'department')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.period = source.period
            and touched.entity_kind = 'department' and touched.entity_code = source.department_code
    )
    {% endif %}
),

declared_funds as (
    select * from {{ ref('stg_dept_declaration_fund') }}
),

fund_lines as (
    select * from {{ ref('dim_fund_line') }}
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

project_line_kind_totals as (
    select
        execution.fiscal_year,
        execution.period,
        execution.project_code,
        fund_lines.line_kind,
        sum(execution.budget) as budget,
        sum(execution.executed) as executed,
        min(execution.budget_rule) as budget_rule,
        max(execution.batch_id) as batch_id
    from execution
    inner join fund_lines on execution.fund_line = fund_lines.fund_line
    group by
        execution.fiscal_year,
        execution.period,
        execution.project_code,
        fund_lines.line_kind
),

project_ranked_bases as (
    select
        project_line_kind_totals.*,
        row_number() over (
            partition by fiscal_year, period, project_code
            order by
                case when budget <> 0 then 0 else 1 end,
                case line_kind when 'total' then 1 when 'source' then 2 else 3 end
        ) as basis_rank
    from project_line_kind_totals
),

project_budget as (
    select
        'project' as entity_kind,
        project_code as entity_code,
        fiscal_year,
        period,
        line_kind as budget_basis,
        budget_rule,
        batch_id,
        cast(budget as decimal(18,4)) as budget,
        cast(executed as decimal(18,4)) as executed
    from project_ranked_bases
    where basis_rank = 1
),

department_funds as (
    select
        department_funds_submitted.*,
        case
            when department_funds_submitted.adjusted_budget is not null then 'adjusted'
            when department_funds_submitted.initial_budget is not null then 'initial'
            when declared_funds.annual_budget is not null then 'declared'
            when department_funds_submitted.planned_execution is not null then 'plan'
        end as budget_rule,
        coalesce(
            department_funds_submitted.adjusted_budget,
            department_funds_submitted.initial_budget,
            declared_funds.annual_budget,
            case when periods.schedule_rate > 0
                then cast(round(cast(department_funds_submitted.planned_execution / periods.schedule_rate as decimal(18,8)), 4) as decimal(18,4))
            end
        ) as line_budget
    from department_funds_submitted
    left join periods
        on department_funds_submitted.fiscal_year = periods.fiscal_year
        and department_funds_submitted.period = periods.period
    left join declared_funds
        on department_funds_submitted.fiscal_year = declared_funds.fiscal_year
        and department_funds_submitted.department_code = declared_funds.department_code
        and department_funds_submitted.fund_line = declared_funds.fund_line
),

department_line_totals as (
    select
        department_funds.fiscal_year,
        department_funds.period,
        department_funds.department_code,
        sum(case when fund_lines.line_kind = 'total' then line_budget end) as total_budget,
        sum(case when fund_lines.line_kind = 'total' then executed end) as total_executed,
        sum(case when fund_lines.line_kind <> 'total' then line_budget end) as detail_budget,
        sum(case when fund_lines.line_kind <> 'total' then executed end) as detail_executed,
        min(case when fund_lines.line_kind = 'total' then budget_rule end) as total_budget_rule,
        min(budget_rule) as detail_budget_rule
    from department_funds
    inner join fund_lines on department_funds.fund_line = fund_lines.fund_line
    group by department_funds.fiscal_year, department_funds.period, department_funds.department_code
),

department_budget as (
    select
        'department' as entity_kind,
        department_code as entity_code,
        fiscal_year,
        period,
        case when coalesce(total_budget, 0) <> 0 then 'total' else 'detail' end as budget_basis,
        case when coalesce(total_budget, 0) <> 0 then total_budget_rule else detail_budget_rule end as budget_rule,
        cast(null as bigint) as batch_id,
        cast(case when coalesce(total_budget, 0) <> 0 then total_budget else detail_budget end as decimal(18,4)) as budget,
        cast(case when coalesce(total_budget, 0) <> 0 then total_executed else detail_executed end as decimal(18,4)) as executed
    from department_line_totals
),

budgets as (
    select * from project_budget
    union all
    select * from department_budget
),

against_schedule as (
    select
        budgets.*,
        periods.schedule_rate,
        case
            when budgets.budget <> 0 then budgets.executed / budgets.budget
        end as unrounded_execution_rate
    from budgets
    left join periods
        on budgets.fiscal_year = periods.fiscal_year
        and budgets.period = periods.period
),

rated as (
    select
        against_schedule.*,
        cast(round(cast(unrounded_execution_rate as decimal(18,8)), 4) as decimal(18,4)) as execution_rate,
        case
            when schedule_rate > 0
                then cast(round(cast(unrounded_execution_rate * 100 / schedule_rate as decimal(18,8)), 4) as decimal(18,4))
        end as execution_progress,
        -- the 执行率 the execution half of 偏差指数 reads: a project's exact ratio, a department's rounded to 4 places
        -- (as mart_department_ranking did before this model; the two disagree in the 5th place of the half)
        case
            when entity_kind = 'department'
                then cast(round(cast(unrounded_execution_rate as decimal(18,8)), 4) as decimal(18,4))
            else unrounded_execution_rate
        end as deviation_rate
    from against_schedule
),

deviated as (
    select
        rated.*,
        case
            when deviation_rate is null or schedule_rate is null or schedule_rate <= 0 then null
            when deviation_rate >= schedule_rate then cast(0 as decimal(18,4))
            when deviation_rate <= 0 then cast(50 as decimal(18,4))
            else cast(round(cast(50 * (schedule_rate - deviation_rate) / schedule_rate as decimal(18,8)), 4) as decimal(18,4))
        end as execution_deviation
    from rated
),

lit as (
    select
        deviated.*,
        execution_bands.light as execution_warning
    from deviated
    left join execution_bands
        on deviated.execution_progress is not null
        and (execution_bands.min_r is null or deviated.execution_progress >= execution_bands.min_r)
        and (execution_bands.max_r is null or deviated.execution_progress < execution_bands.max_r)
),

indicator_summary as (
    select * from {{ ref('fct_indicator_summary') }}
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
        on lit.entity_kind = indicator_summary.entity_kind
        and lit.entity_code = indicator_summary.entity_code
        and lit.fiscal_year = indicator_summary.fiscal_year
        and lit.period = indicator_summary.period
),

execution_rating as (
    select
        entity_kind,
        entity_code,
        fiscal_year,
        period,
        budget_basis,
        budget_rule,
        batch_id,
        budget,
        executed,
        execution_rate,
        schedule_rate,
        execution_progress,
        execution_warning,
        execution_deviation,
        indicator_count,
        reported_indicator_count,
        red_indicator_count,
        mean_shortfall,
        cast(round(cast(50 * coalesce(mean_shortfall, 0) as decimal(18,8)), 4) as decimal(18,4)) as indicator_deviation,
        cast(coalesce(execution_deviation, 0)
             + cast(round(cast(50 * coalesce(mean_shortfall, 0) as decimal(18,8)), 4) as decimal(18,4))
             as decimal(18,4)) as deviation_index,
        (select min(light) from light_severities where light_severities.severity = combined.worst_severity) as warning
    from combined
)

select * from execution_rating
