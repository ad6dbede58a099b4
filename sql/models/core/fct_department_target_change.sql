-- materialized: table
-- 部门整体 目标未经调整即变更: a department indicator whose target in its 表1-2 (半年计划指标值 against the declared 半年指标值)
-- or 表1-3-2 (全年计划指标值 against the declared 全年指标值) differs from what the department declared in 表1-1
-- (stg_dept_declaration_indicator). 常纺院 预算绩效管理办法 第十条: 预算部门应严格按照下达的绩效目标内容执行预算，确需调整
-- 绩效目标的，应按照绩效目标管理要求，重新申报审批 — a department has no 调整表: a new 表1-1 (the latest batch wins) is the
-- re-declaration. Targets compare as written with spaces dropped. One row per (year, department, indicator, stage).
with declared as (
    select * from {{ ref('stg_dept_declaration_indicator') }}
),

monitored as (
    select * from {{ ref('stg_dept_monitoring_indicator') }}
),

evaluated as (
    select * from {{ ref('stg_dept_selfeval_indicator') }}
),

submitted as (
    -- 表1-2 prints no annual target: its period target is carried in 年度指标值 too, and compared as a period target
    select
        fiscal_year, department_code, level3, '监控表' as stage,
        case when period_target is not null and period_target = annual_target then null else annual_target end as annual_target,
        period_target
    from monitored
    union all
    select fiscal_year, department_code, level3, '自评表' as stage, annual_target, cast(null as varchar) as period_target
    from evaluated
),

compared as (
    select
        submitted.fiscal_year,
        submitted.department_code,
        submitted.level3,
        submitted.stage,
        case when submitted.annual_target is not null then '全年' else '半年' end as target_kind,
        case when submitted.annual_target is not null then declared.annual_target else declared.period_target end as declared_target,
        coalesce(submitted.annual_target, submitted.period_target) as submitted_target
    from submitted
    inner join declared
        on submitted.fiscal_year = declared.fiscal_year
        and submitted.department_code = declared.department_code
        and submitted.level3 = declared.level3
),

changed as (
    select distinct compared.*
    from compared
    where compared.declared_target is not null
        and compared.submitted_target is not null
        and replace(replace(compared.declared_target, ' ', ''), '　', '') <> replace(replace(compared.submitted_target, ' ', ''), '　', '')
)

select * from changed
