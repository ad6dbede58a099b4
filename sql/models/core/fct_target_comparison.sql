-- 目标变更 (the comparison fct_target_change and fct_department_target_change both read): every target a form states
-- for an indicator that differs from the target declared for it — a project's in 表2-1 (stg_declaration_indicator)
-- against its monitoring form (年度指标值; 表2-2's 半年计划指标值 against the declared 半年指标值), 纠偏表 (完成时指标值)
-- and self-evaluation form (年度 / 全年计划指标值); a department's in 表1-1 (stg_dept_declaration_indicator) against its
-- 表1-2 (半年计划指标值 against the declared 半年指标值) and 表1-3-2 (全年计划指标值 against the declared 全年指标值).
-- 常纺院 预算绩效管理办法 第十条: 预算部门应严格按照下达的绩效目标内容执行预算，确需调整绩效目标的，应按照绩效目标
-- 管理要求，重新申报审批. Targets compare as written with spaces (half and full width) dropped.
-- One row per (subject_kind, fiscal_year, subject_code, level3, stage, target_kind, targets); subject_kind is 项目
-- (subject_code a project code) or 部门 (a department code). Whether an 调整表 covers a project's change is
-- fct_target_change's business (a department has no 调整表: a new 表1-1, the latest batch, is its re-declaration).
with declared as (
    select '项目' as subject_kind, fiscal_year, project_code as subject_code, level3, annual_target, period_target
    from {{ ref('stg_declaration_indicator') }}
    union all
    select '部门' as subject_kind, fiscal_year, department_code as subject_code, level3, annual_target, period_target
    from {{ ref('stg_dept_declaration_indicator') }}
),

submitted as (
    -- a form with no annual target (表2-2, 表1-2) carries its period target in 年度指标值: it is compared as a period target
    select
        '项目' as subject_kind, fiscal_year, project_code as subject_code, level3, '监控表' as stage,
        case when period_target is not null and period_target = annual_target then null else annual_target end as annual_target,
        period_target
    from {{ ref('stg_monitoring_indicator') }}
    union all
    select '项目' as subject_kind, fiscal_year, project_code, level3, '自评表' as stage, annual_target, cast(null as varchar) as period_target
    from {{ ref('stg_selfeval_indicator') }}
    union all
    select '项目' as subject_kind, fiscal_year, project_code, level3, '纠偏表' as stage, final_target as annual_target,
           cast(null as varchar) as period_target
    from {{ ref('stg_correction') }}
    where final_target is not null
    union all
    select
        '部门' as subject_kind, fiscal_year, department_code, level3, '监控表' as stage,
        case when period_target is not null and period_target = annual_target then null else annual_target end as annual_target,
        period_target
    from {{ ref('stg_dept_monitoring_indicator') }}
    union all
    select '部门' as subject_kind, fiscal_year, department_code, level3, '自评表' as stage, annual_target,
           cast(null as varchar) as period_target
    from {{ ref('stg_dept_selfeval_indicator') }}
),

compared as (
    select
        submitted.subject_kind,
        submitted.fiscal_year,
        submitted.subject_code,
        submitted.level3,
        submitted.stage,
        case when submitted.annual_target is not null then '全年' else '半年' end as target_kind,
        case when submitted.annual_target is not null then declared.annual_target else declared.period_target end as declared_target,
        coalesce(submitted.annual_target, submitted.period_target) as submitted_target
    from submitted
    inner join declared
        on submitted.subject_kind = declared.subject_kind
        and submitted.fiscal_year = declared.fiscal_year
        and submitted.subject_code = declared.subject_code
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
