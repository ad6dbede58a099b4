-- materialized: incremental
-- indexes: project_code
-- unique_key: fiscal_year, project_code
-- 目标未经调整即变更: an indicator whose target in a monitoring form, a 纠偏表 or a self-evaluation form differs from what
-- the project declared in 表2-1 — the 项目 rows of fct_target_comparison (where the comparison and 常纺院 预算绩效管理办法
-- 第十条 are written) — with no 调整表 (附件3) of the year naming that indicator. One row per (year, project, indicator, stage).
-- 增量 (issue 15): a project-year's rows read only its own comparison rows and its own 调整表 of the year; an 调整表, like
-- every form of the project, touches the project's slices of its 年度 (build_slice), so an incremental build replaces the
-- touched projects' years (by build_slice's project_code) and keeps every other row. mart_cut_candidates reads the
-- touched projects' rows by project_code (the index above, PostgreSQL).
with comparison as (
    select * from {{ ref('fct_target_comparison') }} as source
    where source.subject_kind = '项目'
    {% if is_incremental() %}
    and {{ in_slice('source', 'project', 'subject_code') }}
    {% endif %}
),

adjustments as (
    select * from {{ ref('stg_adjustment') }} as source
    {% if is_incremental() %}
    where {{ in_slice('source', 'project', 'project_code') }}
    {% endif %}
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
    where adjusted.level3 is null
)

select * from changed
