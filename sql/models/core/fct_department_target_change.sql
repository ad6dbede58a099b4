-- materialized: incremental
-- unique_key: fiscal_year, department_code
-- 部门整体 目标未经调整即变更: a department indicator whose target in its 表1-2 or 表1-3-2 differs from what the department
-- declared in 表1-1 — the 部门 rows of fct_target_comparison (where the comparison and 常纺院 预算绩效管理办法 第十条 are
-- written). A department has no 调整表: a new 表1-1 (the latest batch wins) is the re-declaration, so every change counts.
-- One row per (year, department, indicator, stage).
-- 增量 (issue 15): a department-year's rows are its own comparison rows, so an incremental build replaces the touched
-- departments' years (build_slice's department_code: a 部门整体 form touches its department's slices, a project form the
-- department of the project) and keeps every other row.
with comparison as (
    select * from {{ ref('fct_target_comparison') }} as source
    where source.subject_kind = '部门'
    {% if is_incremental() %}
    and {{ in_slice('source', 'department', 'subject_code') }}
    {% endif %}
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
)

select * from changed
