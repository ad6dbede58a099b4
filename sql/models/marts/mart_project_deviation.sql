-- materialized: table
-- indexes: project_code
-- 项目偏差: per project and (fiscal_year, period), budget against execution and 序时进度, the lights and 偏差指数 —
-- computed once in fct_execution_rating (entity_kind 'project'; its header says how) — with the project's names
-- and its rank:
--   deviation_rank    1 = worst within (fiscal_year, period); ties share a rank
with ratings as (
    select * from {{ ref('fct_execution_rating') }}
    where entity_kind = 'project'
),

projects as (
    select * from {{ ref('dim_project') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

ranked as (
    select
        ratings.*,
        rank() over (partition by fiscal_year, period order by deviation_index desc) as deviation_rank
    from ratings
),

project_deviation as (
    select
        ranked.fiscal_year,
        ranked.period,
        projects.department_code,
        departments.department_name,
        ranked.entity_code as project_code,
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
    left join projects on ranked.entity_code = projects.project_code
    left join departments on projects.department_code = departments.department_code
)

select * from project_deviation
