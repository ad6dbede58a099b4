-- materialized: incremental
-- unique_key: fiscal_year, project_code
-- 年度总体目标 as the forms state it (migration 0161): per project, year and form, the goal set (附件1 年度总体目标,
-- 表2-2 / 表2-3-2 年初设定目标, the national 自评表 预期目标, 表2-1 年度目标) and how far it is reached (半年完成情况,
-- 全年完成情况, 实际完成情况). stage '申报' (表2-1), '监控' (period as submitted), '自评'. The project page shows it
-- beside the project master's 年度总体目标.
-- 增量 (issue 15): a project-year's goals read only its own forms, so an incremental build replaces the project-years
-- of the touched slices (build_slice).
with declared as (
    select * from {{ ref('stg_declaration_fund') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select project_code from {{ ref('build_slice') }})
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.project_code = source.project_code
    )
    {% endif %}
),

monitored as (
    select * from {{ ref('stg_monitoring_fund') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select project_code from {{ ref('build_slice') }})
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.project_code = source.project_code
    )
    {% endif %}
),

evaluated as (
    select * from {{ ref('stg_selfeval_fund') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select project_code from {{ ref('build_slice') }})
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.project_code = source.project_code
    )
    {% endif %}
),

stated as (
    select fiscal_year, '申报' as stage, '申报' as period, project_code, annual_goal, cast(null as varchar) as goal_progress
    from declared
    union all
    select fiscal_year, '监控' as stage, period, project_code, annual_goal, goal_progress
    from monitored
    union all
    select fiscal_year, '自评' as stage, '自评' as period, project_code, annual_goal, goal_progress
    from evaluated
),

project_goal as (
    select
        fiscal_year,
        stage,
        period,
        project_code,
        max(annual_goal) as annual_goal,
        max(goal_progress) as goal_progress
    from stated
    where annual_goal is not null or goal_progress is not null
    group by fiscal_year, stage, period, project_code
)

select * from project_goal
