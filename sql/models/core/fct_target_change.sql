-- materialized: table
-- 目标未经调整即变更: an indicator whose target in a monitoring form (年度指标值; 表2-2's 半年计划指标值 against the
-- declared 半年指标值), a 纠偏表 (完成时指标值) or a self-evaluation form (年度 / 全年计划指标值) differs from what the
-- project declared in 表2-1 (stg_declaration_indicator), with no 调整表 (附件3) of the year naming that indicator.
-- 常纺院 预算绩效管理办法 第十条: 预算部门应严格按照下达的绩效目标内容执行预算，确需调整绩效目标的，应按照绩效目标
-- 管理要求，重新申报审批. Targets compare as written with spaces dropped. One row per (year, project, indicator, stage).
with declared as (
    select * from {{ ref('stg_declaration_indicator') }}
),

monitored as (
    select * from {{ ref('stg_monitoring_indicator') }}
),

evaluated as (
    select * from {{ ref('stg_selfeval_indicator') }}
),

corrections as (
    select * from {{ ref('stg_correction') }}
),

adjustments as (
    select * from {{ ref('stg_adjustment') }}
),

submitted as (
    -- a form with no annual target (表2-2) carries its period target in 年度指标值: it is compared as a period target
    select
        fiscal_year, project_code, level3, '监控表' as stage,
        case when period_target is not null and period_target = annual_target then null else annual_target end as annual_target,
        period_target
    from monitored
    union all
    select fiscal_year, project_code, level3, '自评表' as stage, annual_target, cast(null as varchar) as period_target
    from evaluated
    union all
    select fiscal_year, project_code, level3, '纠偏表' as stage, final_target as annual_target, cast(null as varchar) as period_target
    from corrections
    where final_target is not null
),

compared as (
    select
        submitted.fiscal_year,
        submitted.project_code,
        submitted.level3,
        submitted.stage,
        case when submitted.annual_target is not null then '全年' else '半年' end as target_kind,
        case when submitted.annual_target is not null then declared.annual_target else declared.period_target end as declared_target,
        coalesce(submitted.annual_target, submitted.period_target) as submitted_target
    from submitted
    inner join declared
        on submitted.fiscal_year = declared.fiscal_year
        and submitted.project_code = declared.project_code
        and submitted.level3 = declared.level3
),

adjusted as (
    select distinct fiscal_year, project_code, level3
    from adjustments
    where level3 is not null
),

changed as (
    select distinct compared.*
    from compared
    left join adjusted
        on compared.fiscal_year = adjusted.fiscal_year
        and compared.project_code = adjusted.project_code
        and compared.level3 = adjusted.level3
    where compared.declared_target is not null
        and compared.submitted_target is not null
        and replace(replace(compared.declared_target, ' ', ''), '　', '') <> replace(replace(compared.submitted_target, ' ', ''), '　', '')
        and adjusted.level3 is null
)

select * from changed
