-- materialized: table
-- 目标未经调整即变更: an indicator whose target in a monitoring form, a 纠偏表 or a self-evaluation form differs from what
-- the project declared in 表2-1 — the 项目 rows of fct_target_comparison (where the comparison and 常纺院 预算绩效管理办法
-- 第十条 are written) — with no 调整表 (附件3) of the year naming that indicator. One row per (year, project, indicator, stage).
with comparison as (
    select * from {{ ref('fct_target_comparison') }}
),

adjustments as (
    select * from {{ ref('stg_adjustment') }}
),

adjusted as (
    select distinct fiscal_year, project_code, level3
    from adjustments
    where level3 is not null
),

changed as (
    select
        comparison.fiscal_year,
        comparison.subject_code as project_code,
        comparison.level3,
        comparison.stage,
        comparison.target_kind,
        comparison.declared_target,
        comparison.submitted_target
    from comparison
    left join adjusted
        on comparison.fiscal_year = adjusted.fiscal_year
        and comparison.subject_code = adjusted.project_code
        and comparison.level3 = adjusted.level3
    where comparison.subject_kind = '项目'
        and adjusted.level3 is null
)

select * from changed
