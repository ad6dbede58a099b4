-- materialized: incremental
-- indexes: project_code; department_code
-- unique_key: fiscal_year, period, project_code
-- delete_where: {{ this }}.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
-- 项目偏差 without its rank: per project and (fiscal_year, period), budget against execution and 序时进度, the lights
-- and 偏差指数 (fct_execution_rating, entity_kind 'project'; its header says how) with the project's names from
-- dim_project. mart_project_deviation (a view) adds the department's name and the rank across the province
-- (mart_project_deviation_rank); the pages read it by department (indexes).
-- 增量 (issue 15): a row reads its own project's rating and dim_project row alone; both change only with a batch naming
-- the project or its department, which puts the project in build_slice. An incremental build recomputes every year and
-- 期间 of the projects in build_slice and keeps every other row (the rank, which moves other projects' rows, is
-- mart_project_deviation_rank's).
with ratings as (
    select * from {{ ref('fct_execution_rating') }} as source
    where source.entity_kind = 'project'
    {% if is_incremental() %}
        and source.entity_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

projects as (
    select * from {{ ref('dim_project') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

project_deviation as (
    select
        ratings.fiscal_year,
        ratings.period,
        projects.department_code,
        ratings.entity_code as project_code,
        projects.project_name,
        projects.project_type,
        projects.fund_nature,
        projects.is_key,
        ratings.budget,
        ratings.executed,
        ratings.execution_rate,
        ratings.schedule_rate,
        ratings.execution_progress,
        ratings.warning,
        ratings.execution_deviation,
        ratings.budget_basis,
        ratings.batch_id,
        ratings.execution_warning,
        ratings.indicator_count,
        ratings.reported_indicator_count,
        ratings.red_indicator_count,
        ratings.mean_shortfall,
        ratings.indicator_deviation,
        ratings.deviation_index
    from ratings
    left join projects on ratings.entity_code = projects.project_code
)

select * from project_deviation
