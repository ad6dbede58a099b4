-- materialized: table
-- 等级变化 (issue 17): one row per project graded in a year and in the year before it — last year's 自评等级 beside
-- this year's, for the transition matrix (上年等级 × 本年等级) on 等级与预算挂钩 and the list of the projects that moved.
--   from_grade / to_grade              mart_project_grade.grade of fiscal_year − 1 / fiscal_year (优 良 中 差 未评)
--   from_grade_order / to_grade_order  the grade's place in the grade_band seed (1 = best); a grade the seed has no band
--                                      for (未评) sorts after every band
--   direction                          up / down / same between two banded grades (order smaller = better); unrated
--                                      when either year is 未评
with grades as (
    select * from {{ ref('mart_project_grade') }}
),

grade_bands as (
    select * from {{ ref('grade_band') }}
),

unbanded as (
    select coalesce(max(sort_order), 0) + 1 as sort_order from grade_bands
),

ordered as (
    select
        grades.fiscal_year,
        grades.project_code,
        grades.project_name,
        grades.department_code,
        grades.department_name,
        grades.grade,
        grades.budget,
        grade_bands.sort_order as band_order
    from grades
    left join grade_bands on grades.grade = grade_bands.grade
),

transitions as (
    select
        cur.fiscal_year,
        prev.fiscal_year as previous_year,
        cur.project_code,
        cur.project_name,
        cur.department_code,
        cur.department_name,
        prev.grade as from_grade,
        cur.grade as to_grade,
        cast(coalesce(prev.band_order, unbanded.sort_order) as integer) as from_grade_order,
        cast(coalesce(cur.band_order, unbanded.sort_order) as integer) as to_grade_order,
        case
            when prev.band_order is null or cur.band_order is null then 'unrated'
            when cur.band_order < prev.band_order then 'up'
            when cur.band_order > prev.band_order then 'down'
            else 'same'
        end as direction,
        cast(cur.budget as decimal(18,4)) as budget
    from ordered cur
    inner join ordered prev
        on prev.project_code = cur.project_code
        and prev.fiscal_year = cur.fiscal_year - 1
    cross join unbanded
)

select * from transitions
