-- No project in mart_project_deviation has a negative budget (预算数).
with project_deviation as (
    select * from {{ ref('mart_project_deviation') }}
),

negative as (
    select fiscal_year, period, project_code, budget
    from project_deviation
    where budget < 0
)

select * from negative
