-- materialized: table
-- 部门整体自评等级 per fiscal_year (表1-3-2, fct_evaluation_grade), with the rank of the recomputed score within
-- the year (score_rank 1 = best; 未评 departments are unranked).
with grades as (
    select * from {{ ref('fct_evaluation_grade') }}
    where entity_kind = 'department'
),

departments as (
    select * from {{ ref('dim_department') }}
),

ranked as (
    select
        grades.*,
        case
            when grades.recomputed_score is not null
                then rank() over (
                    partition by grades.fiscal_year, case when grades.recomputed_score is null then 1 else 0 end
                    order by grades.recomputed_score desc)
        end as score_rank
    from grades
),

department_grade as (
    select
        ranked.fiscal_year,
        ranked.entity_code as department_code,
        departments.department_name,
        ranked.budget,
        ranked.executed,
        ranked.execution_rate,
        ranked.budget_score,
        ranked.published_budget_score,
        ranked.indicator_count,
        ranked.unreported_count,
        ranked.indicator_score,
        ranked.weight_total,
        ranked.recomputed_score,
        ranked.published_score,
        ranked.score_gap,
        ranked.has_score_gap,
        ranked.grade,
        cast(ranked.score_rank as integer) as score_rank,
        ranked.flags
    from ranked
    left join departments on ranked.entity_code = departments.department_code
)

select * from department_grade
