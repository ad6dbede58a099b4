-- materialized: table
-- 部门整体 目标未经调整即变更: a department indicator whose target in its 表1-2 or 表1-3-2 differs from what the department
-- declared in 表1-1 — the 部门 rows of fct_target_comparison (where the comparison and 常纺院 预算绩效管理办法 第十条 are
-- written). A department has no 调整表: a new 表1-1 (the latest batch wins) is the re-declaration, so every change counts.
-- One row per (year, department, indicator, stage).
with comparison as (
    select * from {{ ref('fct_target_comparison') }}
),

changed as (
    select
        fiscal_year,
        subject_code as department_code,
        level3,
        stage,
        target_kind,
        declared_target,
        submitted_target
    from comparison
    where subject_kind = '部门'
)

select * from changed
