-- materialized: incremental
-- unique_key: fiscal_year, entity_kind, entity_code
-- 自评总分与等级, per project or department and fiscal_year (DESIGN §3):
--   recomputed_score  预算执行率 得分 + Σ indicator scores (each already rounded to 2 decimals); NULL when 未评
--   grade             the grade_band holding the recomputed score. The total is rounded to 2 decimals FIRST and then
--                     banded (min_score <= score < max_score, lower bounds 含), so 89.995 rounds to 90.00 → 优 and
--                     89.99 → 良. '未评' when an indicator is 未填报 or the fund block is missing.
--   published_score   the form's own total: published 预算执行率 得分 + Σ published indicator 得分
--   score_gap         recomputed − published; has_score_gap when |gap| > policy_setting score_gap_flag_points
--   flags             the form checks, joined with '；' (NULL when none)
-- 增量 (issue 15): an entity-year's rows read only that entity's own 自评 rows, so an incremental build replaces the
-- entities of the touched slices (build_slice: every 期间 of a 自评 form's 年度) and keeps every other row.
with indicator_scores as (
    select * from {{ ref('fct_indicator_score') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.entity_code in (select entity_code from {{ ref('build_slice') }})
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = source.entity_kind and touched.entity_code = source.entity_code
    )
    {% endif %}
),

budget_scores as (
    select * from {{ ref('fct_budget_score') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.entity_code in (select entity_code from {{ ref('build_slice') }})
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = source.entity_kind and touched.entity_code = source.entity_code
    )
    {% endif %}
),

grade_bands as (
    select * from {{ ref('grade_band') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

thresholds as (
    select
        cast(max(case when setting = 'score_gap_flag_points' then value end) as decimal(18,4)) as gap_points,
        cast(max(case when setting = 'core_weight_min' then value end) as decimal(18,4)) as core_weight_min,
        cast(max(case when setting = 'budget_execution_weight' then value end) as decimal(18,4)) as budget_weight
    from settings
),

indicator_totals as (
    select
        entity_kind,
        entity_code,
        fiscal_year,
        count(*) as indicator_count,
        count(case when rule = 'unreported' then 1 end) as unreported_count,
        sum(recomputed_score) as indicator_score,
        sum(published_score) as published_indicator_score,
        sum(weight) as indicator_weight,
        sum(case
                when entity_kind = 'project' and (level1 like '产出%' or level1 like '成本%' or level1 like '效益%'
                                                  or level1 like '满意度%') then weight
                when entity_kind = 'department' and (level1 like '履职%' or level1 like '效益%'
                                                     or level1 like '满意度%') then weight
                else 0
            end) as core_weight,
        count(case when published_band_mismatch then 1 end) as band_mismatch_count,
        count(case when overachieved_without_cause then 1 end) as overachieved_count
    from indicator_scores
    group by entity_kind, entity_code, fiscal_year
),

entities as (
    select entity_kind, entity_code, fiscal_year from indicator_totals
    union
    select entity_kind, entity_code, fiscal_year from budget_scores
),

totals as (
    select
        entities.entity_kind,
        entities.entity_code,
        entities.fiscal_year,
        budget_scores.budget,
        budget_scores.executed,
        budget_scores.execution_rate,
        budget_scores.weight as budget_weight,
        budget_scores.budget_score,
        budget_scores.published_budget_score,
        coalesce(indicator_totals.indicator_count, 0) as indicator_count,
        coalesce(indicator_totals.unreported_count, 0) as unreported_count,
        cast(indicator_totals.indicator_score as decimal(18,4)) as indicator_score,
        cast(coalesce(budget_scores.weight, 0) + coalesce(indicator_totals.indicator_weight, 0) as decimal(18,4)) as weight_total,
        indicator_totals.core_weight,
        coalesce(indicator_totals.band_mismatch_count, 0) as band_mismatch_count,
        coalesce(indicator_totals.overachieved_count, 0) as overachieved_count,
        case
            when budget_scores.budget_score is null or indicator_totals.indicator_count is null
                or indicator_totals.unreported_count > 0 then null
            else cast(round(cast(budget_scores.budget_score + indicator_totals.indicator_score as decimal(18,8)), 2) as decimal(18,4))
        end as recomputed_score,
        case
            when budget_scores.published_budget_score is null and indicator_totals.published_indicator_score is null then null
            else cast(coalesce(budget_scores.published_budget_score, 0)
                      + coalesce(indicator_totals.published_indicator_score, 0) as decimal(18,4))
        end as published_score
    from entities
    left join budget_scores
        on entities.entity_kind = budget_scores.entity_kind
        and entities.entity_code = budget_scores.entity_code
        and entities.fiscal_year = budget_scores.fiscal_year
    left join indicator_totals
        on entities.entity_kind = indicator_totals.entity_kind
        and entities.entity_code = indicator_totals.entity_code
        and entities.fiscal_year = indicator_totals.fiscal_year
),

graded as (
    select
        totals.*,
        coalesce(grade_bands.grade, '未评') as grade,
        totals.recomputed_score - totals.published_score as score_gap,
        case
            when totals.recomputed_score is not null and totals.published_score is not null
                and abs(totals.recomputed_score - totals.published_score) > thresholds.gap_points then true
            else false
        end as has_score_gap,
        thresholds.gap_points,
        thresholds.core_weight_min,
        thresholds.budget_weight as default_budget_weight
    from totals
    cross join thresholds
    left join grade_bands
        on totals.recomputed_score is not null
        and (grade_bands.min_score is null or totals.recomputed_score >= grade_bands.min_score)
        and (grade_bands.max_score is null or totals.recomputed_score < grade_bands.max_score)
),

flagged as (
    select
        graded.*,
        nullif(concat_ws('；',
            case when unreported_count > 0
                then cast(unreported_count as varchar) || ' 项指标未填报（未评）' end,
            case when has_score_gap
                then '重算得分 ' || cast(recomputed_score as varchar) || ' 与公布得分 '
                     || cast(published_score as varchar) || ' 相差超过 ' || cast(gap_points as varchar) || ' 分' end,
            case when weight_total <> 100
                then '分值合计 ' || cast(weight_total as varchar) || '，应为 100' end,
            case when budget_weight is not null and budget_weight <> default_budget_weight
                then '预算执行率分值为 ' || cast(budget_weight as varchar) end,
            case when core_weight is not null and core_weight < core_weight_min
                then '核心指标分值合计 ' || cast(core_weight as varchar) || ' 低于 ' || cast(core_weight_min as varchar) end,
            case when band_mismatch_count > 0
                then cast(band_mismatch_count as varchar) || ' 项定性指标公布得分超出其档次区间' end,
            case when overachieved_count > 0
                then cast(overachieved_count as varchar) || ' 项指标完成值超过指标值 130% 且无偏差原因（目标设置偏低？）' end
        ), '') as flags
    from graded
)

select * from flagged
