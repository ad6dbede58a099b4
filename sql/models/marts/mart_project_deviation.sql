-- materialized: table
-- 项目偏差: per project and (fiscal_year, period), budget against execution and 序时进度.
--   budget, executed  the 年度资金总额 line when it is there with a non-zero budget; else the sum of the
--                     其中 (source) lines; else the sum of the 子项目 lines (budget_basis says which)
--   execution_rate    执行率 = executed / budget (NULL when budget is 0)
--   execution_progress r = 执行率 / 序时进度 × 100
--   warning           the execution light: the warning_threshold band (scope 'execution') holding r
--   execution_deviation  50 × min(1, max(0, 序时进度 − 执行率) / 序时进度), the execution half of 偏差指数
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
        execution_bands.light as warning
    from rated
    left join execution_bands
        on rated.execution_progress is not null
        and (execution_bands.min_r is null or rated.execution_progress >= execution_bands.min_r)
        and (execution_bands.max_r is null or rated.execution_progress < execution_bands.max_r)
),

project_deviation as (
    select
        lit.fiscal_year,
        lit.period,
        projects.department_code,
        departments.department_name,
        lit.project_code,
        projects.project_name,
        projects.project_type,
        projects.fund_nature,
        projects.is_key,
        lit.budget,
        lit.executed,
        lit.execution_rate,
        lit.schedule_rate,
        lit.execution_progress,
        lit.warning,
        lit.execution_deviation,
        lit.budget_basis,
        lit.batch_id
    from lit
    left join projects on lit.project_code = projects.project_code
    left join departments on projects.department_code = departments.department_code
)

select * from project_deviation
