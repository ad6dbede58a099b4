-- mart_project_deviation holds one row per (fiscal_year, period, project_code).
with project_deviation as (
    select * from {{ ref('mart_project_deviation') }}
),

duplicated as (
    select
        fiscal_year,
        period,
        project_code,
        count(*) as row_count
    from project_deviation
    group by fiscal_year, period, project_code
    having count(*) > 1
)

select * from duplicated
