-- materialized: view
-- 指标亮灯: one row per indicator of a project's latest monitoring submission for (fiscal_year, period), judged —
-- expected value, progress r, light, shortfall — with the project's department and the indicator's key and heatmap
-- category (dim_indicator): fct_indicator_judgement's project rows. What the readers that count lights read (the
-- heatmap's cross-filter, the ranking's category filter, mart_cut_candidates); fct_indicator_progress adds the texts
-- as written, joined by row (issue 15: a join a reader of lights would pay on every row, DuckDB 0.1 → 0.4 s for a
-- province year's department sums).
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
    judgements.possibility,
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
