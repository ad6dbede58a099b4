-- materialized: incremental
-- indexes: project_code
-- unique_key: fiscal_year, period, project_code
-- 指标监控: one row per indicator of a project's latest monitoring submission for (fiscal_year, period), with the
-- raw texts, the parsed target and result (loader, migration 0005) and the judgement of fct_indicator_judgement
-- (expected value, progress r, light, shortfall).
{% if is_incremental() %}
-- 增量: only the (年度, 期间, 部门) slices this build recomputes, picked by their key columns, then read by row id
with judgements as (
    {% by_row_id('fct_indicator_judgement') %}
    where entity_kind = 'project'
    and {{ in_slice('source', 'project', 'entity_code', 'period') }}
    {% endby_row_id %}
),
{% else %}
with judgements as (
    select * from {{ ref('fct_indicator_judgement') }} as source
    where entity_kind = 'project'
),
{% endif %}

projects as (
    select * from {{ ref('dim_project') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

progress as (
    select
        judgements.fiscal_year,
        judgements.period,
        judgements.entity_code as project_code,
        projects.department_code,
        indicators.indicator_key,
        judgements.level1,
        judgements.level2,
        judgements.level3,
        indicators.category,
        judgements.comparator,
        judgements.annual_target,
        judgements.unit,
        judgements.period_target,
        judgements.period_actual,
        judgements.forecast_actual,
        judgements.deviation_causes,
        judgements.cause_note,
        judgements.improvement,
        judgements.possibility,
        judgements.remark,
        judgements.target_comparator,
        judgements.target_value,
        judgements.target_unit,
        judgements.is_cumulative,
        judgements.is_qualitative,
        judgements.period_target_value,
        judgements.actual_value,
        judgements.actual_band,
        judgements.schedule_rate,
        judgements.expected_value,
        judgements.expected_basis,
        judgements.rule,
        judgements.progress_r,
        judgements.base_light,
        judgements.possibility_override,
        judgements.light,
        judgements.shortfall,
        judgements.batch_id,
        judgements.source_row
    from judgements
    left join projects on judgements.entity_code = projects.project_code
    left join indicators
        on judgements.level1 = indicators.level1
        and judgements.level2 = indicators.level2
        and judgements.level3 = indicators.level3
)

select * from progress
