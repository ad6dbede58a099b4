-- materialized: incremental
-- unique_key: fiscal_year, project_code
-- 自评指标: one row per indicator of a project's latest self-evaluation submission for fiscal_year, with the
-- parsed target and result and the recomputed score of fct_indicator_score beside the published 得分.
-- 增量 (issue 15): a project-year's rows read only its own 自评 indicators (build_slice's touched projects).
with scores as (
    select * from {{ ref('fct_indicator_score') }} as source
    where entity_kind = 'project'
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    and source.entity_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = 'project'
            and touched.entity_code = source.entity_code
    )
    {% endif %}
),

projects as (
    select * from {{ ref('dim_project') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

self_evaluation as (
    select
        scores.fiscal_year,
        scores.entity_code as project_code,
        projects.department_code,
        indicators.indicator_key,
        scores.level1,
        scores.level2,
        scores.level3,
        indicators.category,
        scores.comparator,
        scores.annual_target,
        scores.unit,
        scores.actual,
        scores.weight,
        scores.published_score,
        scores.deviation_note,
        scores.target_comparator,
        scores.target_value,
        scores.target_unit,
        scores.is_qualitative,
        scores.actual_value,
        scores.actual_band,
        scores.rule,
        scores.recomputed_score,
        scores.published_band_mismatch,
        scores.overachieved_without_cause,
        scores.batch_id,
        scores.source_row
    from scores
    left join projects on scores.entity_code = projects.project_code
    left join indicators
        on scores.level1 = indicators.level1
        and scores.level2 = indicators.level2
        and scores.level3 = indicators.level3
)

select * from self_evaluation
