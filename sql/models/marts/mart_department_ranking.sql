-- materialized: table
-- 部门整体监控排名 per (fiscal_year, period), from the 部门整体 tables (表1-2), by the project rules of DESIGN §3:
-- 执行率 against 序时进度 (budget = the 年度资金总额 line when non-zero, else the sum of the other lines), the
-- execution light, the department indicators' lights (fct_indicator_summary), the worst light, 偏差指数 and its
-- rank (1 = worst), with the year's 整体自评 grade beside it. A line without 预算数 takes the 全年预算数 the department
-- declared in 表1-1 (stg_dept_declaration_fund, budget_rule 'declared'); only without a declaration does the plan rule
-- apply ('plan'). changed_target_count: the department's indicators whose target differs from its 表1-1 declaration
-- (fct_department_target_change, 常纺院 预算绩效管理办法 第十条).
with department_funds_submitted as (
    select * from {{ ref('stg_dept_monitoring_fund') }}
),

fund_lines as (
    select * from {{ ref('dim_fund_line') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

declared_funds as (
    select * from {{ ref('stg_dept_declaration_fund') }}
),

target_changes as (
    select fiscal_year, department_code, count(*) as changed_target_count
    from {{ ref('fct_department_target_change') }}
    group by fiscal_year, department_code
),

-- 表1-2 prints no 预算数: its lines take the declared 全年预算数 (表1-1), else are judged against
-- 期间计划执行数 ÷ 序时进度 (as fct_budget_execution for 表2-2)
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

department_grades as (
    select * from {{ ref('mart_department_grade') }}
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

line_totals as (
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
        fiscal_year,
        period,
        department_code,
        cast(case when coalesce(total_budget, 0) <> 0 then total_budget else detail_budget end as decimal(18,4)) as budget,
        cast(case when coalesce(total_budget, 0) <> 0 then total_executed else detail_executed end as decimal(18,4)) as executed,
        case when coalesce(total_budget, 0) <> 0 then total_budget_rule else detail_budget_rule end as budget_rule
    from line_totals
),

rated as (
    select
        department_budget.*,
        periods.schedule_rate,
        case
            when department_budget.budget <> 0
                then cast(round(cast(department_budget.executed / department_budget.budget as decimal(18,8)), 4) as decimal(18,4))
        end as execution_rate,
        case
            when department_budget.budget <> 0 and periods.schedule_rate > 0
                then cast(round(cast(department_budget.executed * 100 / department_budget.budget / periods.schedule_rate
                                     as decimal(18,8)), 4) as decimal(18,4))
        end as execution_progress
    from department_budget
    left join periods
        on department_budget.fiscal_year = periods.fiscal_year
        and department_budget.period = periods.period
),

deviated as (
    select
        rated.*,
        case
            when execution_rate is null or schedule_rate is null or schedule_rate <= 0 then cast(0 as decimal(18,4))
            when execution_rate >= schedule_rate then cast(0 as decimal(18,4))
            when execution_rate <= 0 then cast(50 as decimal(18,4))
            else cast(round(cast(50 * (schedule_rate - execution_rate) / schedule_rate as decimal(18,8)), 4) as decimal(18,4))
        end as execution_deviation,
        execution_bands.light as execution_warning
    from rated
    left join execution_bands
        on rated.execution_progress is not null
        and (execution_bands.min_r is null or rated.execution_progress >= execution_bands.min_r)
        and (execution_bands.max_r is null or rated.execution_progress < execution_bands.max_r)
),

indicator_summary as (
    select
        entity_code as department_code,
        fiscal_year,
        period,
        indicator_count,
        reported_indicator_count,
        red_indicator_count,
        mean_shortfall,
        worst_indicator_severity
    from {{ ref('fct_indicator_summary') }}
    where entity_kind = 'department'
),

combined as (
    select
        deviated.*,
        coalesce(indicator_summary.indicator_count, 0) as indicator_count,
        coalesce(indicator_summary.red_indicator_count, 0) as red_indicator_count,
        indicator_summary.mean_shortfall,
        case
            when execution_severity.severity is null then indicator_summary.worst_indicator_severity
            when indicator_summary.worst_indicator_severity is null then execution_severity.severity
            when indicator_summary.worst_indicator_severity > execution_severity.severity
                then indicator_summary.worst_indicator_severity
            else execution_severity.severity
        end as worst_severity
    from deviated
    left join light_severities as execution_severity on deviated.execution_warning = execution_severity.light
    left join indicator_summary
        on deviated.fiscal_year = indicator_summary.fiscal_year
        and deviated.period = indicator_summary.period
        and deviated.department_code = indicator_summary.department_code
),

indexed as (
    select
        combined.*,
        cast(execution_deviation
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

department_ranking as (
    select
        ranked.fiscal_year,
        ranked.period,
        ranked.department_code,
        departments.department_name,
        ranked.budget,
        ranked.budget_rule,
        ranked.executed,
        ranked.execution_rate,
        ranked.schedule_rate,
        ranked.execution_progress,
        ranked.execution_warning,
        ranked.warning,
        ranked.indicator_count,
        ranked.red_indicator_count,
        ranked.mean_shortfall,
        ranked.execution_deviation,
        ranked.deviation_index,
        cast(ranked.deviation_rank as integer) as deviation_rank,
        department_grades.recomputed_score,
        department_grades.published_score,
        department_grades.grade,
        coalesce(target_changes.changed_target_count, 0) as changed_target_count
    from ranked
    left join departments on ranked.department_code = departments.department_code
    left join department_grades
        on ranked.fiscal_year = department_grades.fiscal_year
        and ranked.department_code = department_grades.department_code
    left join target_changes
        on ranked.fiscal_year = target_changes.fiscal_year
        and ranked.department_code = target_changes.department_code
)

select * from department_ranking
