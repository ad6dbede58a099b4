-- materialized: incremental
-- unique_key: fiscal_year, project_code
-- 项目自评等级 per fiscal_year (fct_evaluation_grade): 预算执行率 得分, the recomputed total beside the published one,
-- the grade (优/良/中/差 on the total rounded to 2 decimals first, then banded; 未评 while an indicator is 未填报)
-- and the form checks (flags).
with grades as (
    select * from {{ ref('fct_evaluation_grade') }} as source
    where entity_kind = 'project'
    {% if is_incremental() %}
    -- 增量 (issue 15): a project-year's row reads only its own grade (build_slice's touched projects)
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    and source.entity_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = 'project'
            and touched.entity_code = source.entity_code
    )
    {% endif %}
),

projects as (
    select * from {{ ref('dim_project') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

project_grade as (
    select
        grades.fiscal_year,
        grades.entity_code as project_code,
        projects.project_name,
        projects.department_code,
        departments.department_name,
        grades.budget,
        grades.executed,
        grades.execution_rate,
        grades.budget_weight,
        grades.budget_score,
        grades.published_budget_score,
        grades.indicator_count,
        grades.unreported_count,
        grades.indicator_score,
        grades.weight_total,
        grades.recomputed_score,
        grades.published_score,
        grades.score_gap,
        grades.has_score_gap,
        grades.grade,
        grades.flags
    from grades
    left join projects on grades.entity_code = projects.project_code
    left join departments on projects.department_code = departments.department_code
)

select * from project_grade
