-- materialized: table
-- 指标监控: one row per indicator of a project's latest monitoring submission for (fiscal_year, period).
-- Target and actual texts are kept raw; the indicator parser and the progress rules read them later.
with monitoring_indicators as (
    select * from {{ ref('stg_monitoring_indicator') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

progress as (
    select
        monitoring_indicators.fiscal_year,
        monitoring_indicators.period,
        monitoring_indicators.project_code,
        projects.department_code,
        indicators.indicator_key,
        monitoring_indicators.level1,
        monitoring_indicators.level2,
        monitoring_indicators.level3,
        indicators.category,
        monitoring_indicators.comparator,
        monitoring_indicators.annual_target,
        monitoring_indicators.unit,
        monitoring_indicators.period_target,
        monitoring_indicators.period_actual,
        monitoring_indicators.forecast_actual,
        monitoring_indicators.deviation_causes,
        monitoring_indicators.cause_note,
        monitoring_indicators.improvement,
        monitoring_indicators.possibility,
        monitoring_indicators.remark,
        monitoring_indicators.batch_id,
        monitoring_indicators.source_row
    from monitoring_indicators
    left join projects on monitoring_indicators.project_code = projects.project_code
    left join indicators
        on monitoring_indicators.level1 = indicators.level1
        and monitoring_indicators.level2 = indicators.level2
        and monitoring_indicators.level3 = indicators.level3
)

select * from progress
