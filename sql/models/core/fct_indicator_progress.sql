-- materialized: view
-- 指标监控: one row per indicator of a project's latest monitoring submission for (fiscal_year, period), with the
-- raw texts, the parsed target and result (loader, migration 0005), the judgement (expected value, progress r, light,
-- shortfall) and the project's department: fct_indicator_judgement's project rows, with the indicator's key and heatmap
-- category (dim_indicator). A view (issue 15, the full build at province scale): it was a table copying those 2.9·10⁶
-- rows with every text (DuckDB 5.0 s, PostgreSQL 17.3 s of a full build). Its readers ask for one project (PostgreSQL:
-- the judgement's entity_code index) or read the columns they need (DuckDB projects through the view).
with judgements as (
    select * from {{ ref('fct_indicator_judgement') }}
    where entity_kind = 'project'
),

indicators as (
    select level1, level2, level3, indicator_key, category from {{ ref('dim_indicator') }}
)

select
    judgements.fiscal_year,
    judgements.period,
    judgements.entity_code as project_code,
    judgements.department_code,
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
left join indicators
    on judgements.level1 = indicators.level1
    and judgements.level2 = indicators.level2
    and judgements.level3 = indicators.level3
