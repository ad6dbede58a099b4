-- materialized: table
-- 趋势: per department and (fiscal_year, period), the projects' budget, execution and execution lights,
-- for comparing periods and years. execution_rate = Σ executed / Σ budget.
with project_deviation as (
    select * from {{ ref('mart_project_deviation') }}
),

department_totals as (
    select
        fiscal_year,
        period,
        department_code,
        department_name,
        count(*) as project_count,
        cast(sum(budget) as decimal(18,4)) as budget,
        cast(sum(executed) as decimal(18,4)) as executed,
        max(schedule_rate) as schedule_rate,
        count(case when warning = 'red' then 1 end) as red_count,
        count(case when warning = 'yellow' then 1 end) as yellow_count,
        count(case when warning = 'green' then 1 end) as green_count
    from project_deviation
    group by fiscal_year, period, department_code, department_name
),

trends as (
    select
        fiscal_year,
        period,
        department_code,
        department_name,
        project_count,
        budget,
        executed,
        case
            when budget <> 0 then cast(round(cast(executed / budget as decimal(18,8)), 4) as decimal(18,4))
        end as execution_rate,
        schedule_rate,
        red_count,
        yellow_count,
        green_count
    from department_totals
)

select * from trends
