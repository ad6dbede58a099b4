-- materialized: table
-- 自评指标: one row per indicator of a project's latest self-evaluation submission for fiscal_year.
-- actual (实际完成值) is kept raw; scoring (B against A, 分值) comes with the rules.
with selfeval_indicators as (
    select * from {{ ref('stg_selfeval_indicator') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

self_evaluation as (
    select
        selfeval_indicators.fiscal_year,
        selfeval_indicators.project_code,
        projects.department_code,
        indicators.indicator_key,
        selfeval_indicators.level1,
        selfeval_indicators.level2,
        selfeval_indicators.level3,
        indicators.category,
        selfeval_indicators.comparator,
        selfeval_indicators.annual_target,
        selfeval_indicators.unit,
        selfeval_indicators.actual,
        selfeval_indicators.weight,
        selfeval_indicators.published_score,
        selfeval_indicators.deviation_note,
        selfeval_indicators.batch_id,
        selfeval_indicators.source_row
    from selfeval_indicators
    left join projects on selfeval_indicators.project_code = projects.project_code
    left join indicators
        on selfeval_indicators.level1 = indicators.level1
        and selfeval_indicators.level2 = indicators.level2
        and selfeval_indicators.level3 = indicators.level3
)

select * from self_evaluation
