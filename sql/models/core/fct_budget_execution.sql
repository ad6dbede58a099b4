-- materialized: table
-- 预算执行: one row per fund line of a project's latest monitoring submission for (fiscal_year, period).
-- budget (预算数) = 调整后预算数 when given, else 年初预算数. department_code is the project's (dim_project).
with monitoring_funds as (
    select * from {{ ref('stg_monitoring_fund') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

execution as (
    select
        monitoring_funds.fiscal_year,
        monitoring_funds.period,
        monitoring_funds.project_code,
        projects.department_code,
        monitoring_funds.fund_line,
        monitoring_funds.initial_budget,
        monitoring_funds.adjusted_budget,
        coalesce(monitoring_funds.adjusted_budget, monitoring_funds.initial_budget) as budget,
        monitoring_funds.executed,
        monitoring_funds.planned_execution,
        monitoring_funds.forecast_execution,
        monitoring_funds.carryover_years,
        monitoring_funds.batch_id,
        monitoring_funds.source_row
    from monitoring_funds
    left join projects on monitoring_funds.project_code = projects.project_code
)

select * from execution
