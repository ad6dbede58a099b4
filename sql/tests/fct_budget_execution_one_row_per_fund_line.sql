-- A project's latest monitoring submission names each fund line (资金类别) once per (fiscal_year, period).
with execution as (
    select * from {{ ref('fct_budget_execution') }}
),

duplicated as (
    select
        fiscal_year,
        period,
        project_code,
        fund_line,
        count(*) as row_count
    from execution
    group by fiscal_year, period, project_code, fund_line
    having count(*) > 1
)

select * from duplicated
