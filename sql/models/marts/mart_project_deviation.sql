-- materialized: table
-- indexes: project_code
-- 项目偏差: per project and (fiscal_year, period), budget against execution and 序时进度, the lights and 偏差指数 —
-- computed once in fct_execution_rating (entity_kind 'project'; its header says how) — with the project's names
-- and its rank:
--   deviation_rank    1 = worst within (fiscal_year, period); ties share a rank
-- The rows come from mart_project_deviation_base, kept by project (增量, issue 15); this table only adds the
-- department's name and the rank, which a change of one project's 偏差指数 moves for the projects between its old
-- and new place, so it is written whole each build from those rows — a scan, a sort and the write, no join of the
-- province's projects (issue 15: 0.85–2.1 s of a DuckDB pass and 3.8–5.7 s of a PostgreSQL one before).
with base as (
    select * from {{ ref('mart_project_deviation_base') }}
),

departments as (
    select department_code, department_name from {{ ref('dim_department') }}
),

project_deviation as (
    select
        base.fiscal_year,
        base.period,
        base.department_code,
        departments.department_name,
        base.project_code,
        base.project_name,
        base.project_type,
        base.fund_nature,
        base.is_key,
        base.budget,
        base.executed,
        base.execution_rate,
        base.schedule_rate,
        base.execution_progress,
        base.warning,
        base.execution_deviation,
        base.budget_basis,
        base.batch_id,
        base.execution_warning,
        base.indicator_count,
        base.reported_indicator_count,
        base.red_indicator_count,
        base.mean_shortfall,
        base.indicator_deviation,
        base.deviation_index,
        cast(rank() over (partition by base.fiscal_year, base.period order by base.deviation_index desc) as integer)
            as deviation_rank
    from base
    left join departments on base.department_code = departments.department_code
)

select * from project_deviation
