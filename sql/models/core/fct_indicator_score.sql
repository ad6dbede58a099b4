-- materialized: incremental
-- unique_key: fiscal_year, entity_kind, entity_code
-- 自评指标得分 (DESIGN §3), for projects (表2-3-2) and departments (表1-3-2). B = actual_value, A = target_value,
-- w = weight (分值):
--   ≥ and =   B ≥ A → w, else w × B / A (B < 0 counts as 0); A = 0: with = w when B ≤ 0 else 0, with ≥ w when B ≥ 0
--   ≤         B ≤ A → w; A < B < 2A → w × (1 − (B − A)/A); B ≥ 2A → 0, or w × A / B when policy_setting
--             at_most_double_rule = ratio; A ≤ 0 and B > A → 0
--   band      达成 w, 部分达成 w × partial_score_factor (0.7), 未达成 w × unmet_score_factor (0.3); a published 得分
--             outside its result_band range of w is flagged (published_band_mismatch)
--   未填报     blank actual, or a text where a number is expected: no score (the entity is 未评)
-- Each indicator's score is rounded to 2 decimals (half away from zero) through DECIMAL(18,8).
-- 增量 (issue 15): an entity-year's rows read only that entity's own 自评 rows, so an incremental build replaces the
-- entities of the touched slices (build_slice: every 期间 of a 自评 form's 年度) and keeps every other row.
with project_indicators as (
    select * from {{ ref('stg_selfeval_indicator') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = 'project' and touched.entity_code = source.project_code
    )
    {% endif %}
),

department_indicators as (
    select * from {{ ref('stg_dept_selfeval_indicator') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.department_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'department')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = 'department' and touched.entity_code = source.department_code
    )
    {% endif %}
),

settings as (
    select * from {{ ref('policy_current') }}
),

result_bands as (
    select * from {{ ref('result_band') }}
),

score_settings as (
    select
        cast(max(case when setting = 'partial_score_factor' then value end) as decimal(18,4)) as partial_factor,
        cast(max(case when setting = 'unmet_score_factor' then value end) as decimal(18,4)) as unmet_factor,
        cast(max(case when setting = 'overachievement_ratio' then value end) as decimal(18,4)) as overachievement_ratio,
        coalesce(max(case when setting = 'at_most_double_rule' then lower(trim(value)) end), 'zero') as at_most_double_rule
    from settings
),

indicators as (
    select
        'project' as entity_kind, project_code as entity_code, fiscal_year, level1, level2, level3, comparator,
        annual_target, unit, actual, weight, published_score, deviation_note, target_comparator, target_value,
        target_unit, is_cumulative, is_qualitative, actual_value, actual_band, batch_id, source_row
    from project_indicators
    union all
    select
        'department' as entity_kind, department_code as entity_code, fiscal_year, level1, level2, level3, comparator,
        annual_target, unit, actual, weight, published_score, deviation_note, target_comparator, target_value,
        target_unit, is_cumulative, is_qualitative, actual_value, actual_band, batch_id, source_row
    from department_indicators
),

ruled as (
    select
        indicators.*,
        case
            when actual_value is null and actual_band is null then 'unreported'
            when actual_band is not null then 'band'
            when target_comparator = '≤' then 'at_most'
            else 'at_least'
        end as rule
    from indicators
),

unrounded as (
    select
        ruled.*,
        cast(case
            when rule = 'band' then
                case actual_band
                    when '达成' then weight
                    when '部分达成' then weight * score_settings.partial_factor
                    else weight * score_settings.unmet_factor
                end
            when rule = 'at_least' and target_value = 0 then
                case
                    when target_comparator = '=' and actual_value <= 0 then weight
                    when target_comparator <> '=' and actual_value >= 0 then weight
                    else cast(0 as decimal(18,4))
                end
            when rule = 'at_least' and actual_value >= target_value then weight
            when rule = 'at_least' and target_value < 0 then cast(0 as decimal(18,4))
            when rule = 'at_least' and actual_value <= 0 then cast(0 as decimal(18,4))
            when rule = 'at_least' then weight * actual_value / target_value
            when rule = 'at_most' and actual_value <= target_value then weight
            when rule = 'at_most' and target_value <= 0 then cast(0 as decimal(18,4))
            when rule = 'at_most' and actual_value >= 2 * target_value then
                case when score_settings.at_most_double_rule = 'ratio' then weight * target_value / actual_value
                     else cast(0 as decimal(18,4)) end
            when rule = 'at_most' then weight * (1 - (actual_value - target_value) / target_value)
        end as decimal(18,8)) as unrounded_score,
        score_settings.overachievement_ratio
    from ruled
    cross join score_settings
),

scored as (
    select
        unrounded.*,
        cast(round(unrounded_score, 2) as decimal(18,4)) as recomputed_score,
        case
            when rule = 'band' and published_score is not null and weight > 0
                and (published_score * 100 < weight * result_bands.published_min_pct
                     or published_score * 100 > weight * result_bands.published_max_pct)
                then true
            else false
        end as published_band_mismatch,
        case
            when rule = 'at_least' and target_value > 0 and actual_value >= overachievement_ratio * target_value
                and deviation_note is null
                then true
            else false
        end as overachieved_without_cause
    from unrounded
    left join result_bands on unrounded.actual_band = result_bands.band
)

select * from scored
