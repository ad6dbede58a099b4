-- materialized: table
-- 部门整体监控排名 per (fiscal_year, period), from the 部门整体 tables (表1-2), by the project rules of DESIGN §3 —
-- computed once in fct_execution_rating (entity_kind 'department'; its header says how) — with the worst light,
-- 偏差指数 and its rank (1 = worst), and the year's 整体自评 grade beside it. An unknown execution half of 偏差指数
-- shows as 0 here (it counts 0 in the index). budget_rule: where the 预算数 came from ('declared': the 全年预算数 of
-- 表1-1 for a line without one; 'plan' only without a declaration). changed_target_count: the department's indicators
-- whose target differs from its 表1-1 declaration (fct_department_target_change, 常纺院 预算绩效管理办法 第十条).
with ratings as (
    select * from {{ ref('fct_execution_rating') }}
    where entity_kind = 'department'
),

departments as (
    select * from {{ ref('dim_department') }}
),

department_grades as (
    select * from {{ ref('mart_department_grade') }}
),

target_changes as (
    select fiscal_year, department_code, count(*) as changed_target_count
    from {{ ref('fct_department_target_change') }}
    group by fiscal_year, department_code
),

ranked as (
    select
        ratings.*,
        rank() over (partition by fiscal_year, period order by deviation_index desc) as deviation_rank
    from ratings
),

department_ranking as (
    select
        ranked.fiscal_year,
        ranked.period,
        ranked.entity_code as department_code,
        departments.department_name,
        ranked.budget,
        ranked.executed,
        ranked.budget_rule,
        ranked.execution_rate,
        ranked.schedule_rate,
        ranked.execution_progress,
        ranked.execution_warning,
        ranked.warning,
        ranked.indicator_count,
        ranked.red_indicator_count,
        ranked.mean_shortfall,
        coalesce(ranked.execution_deviation, cast(0 as decimal(18,4))) as execution_deviation,
        ranked.deviation_index,
        cast(ranked.deviation_rank as integer) as deviation_rank,
        department_grades.recomputed_score,
        department_grades.published_score,
        department_grades.grade,
        coalesce(target_changes.changed_target_count, 0) as changed_target_count
    from ranked
    left join departments on ranked.entity_code = departments.department_code
    left join department_grades
        on ranked.fiscal_year = department_grades.fiscal_year
        and ranked.entity_code = department_grades.department_code
    left join target_changes
        on ranked.fiscal_year = target_changes.fiscal_year
        and ranked.entity_code = target_changes.department_code
)

select * from department_ranking
