-- 等级: the grade names in their order, as every page, chart and export lists them — the bands of the grade_band seed
-- (优/良/中/差, sort_order as the seed gives it) and, last, 未评 (no band: an indicator 未填报 or the fund block missing,
-- as fct_evaluation_grade assigns it). is_band says whether a score range defines the grade.
with bands as (
    select * from {{ ref('grade_band') }}
),

grades as (
    select grade, cast(sort_order as integer) as sort_order, true as is_band, description
    from bands
    union all
    select '未评', cast((select coalesce(max(sort_order), 0) + 1 from bands) as integer), false, '有指标未填报或缺资金块：不评等级'
)

select * from grades
