-- slice_by_batch: true
-- 监控指标 (附件1 lower block): the latest loaded batch per (fiscal_year, period, project_code).
-- The loader's parsed 指标值 columns (target_comparator … actual_band, migration 0005); of the texts as written, the
-- targets (compared with the declared ones, fct_target_comparison) and 完成目标可能性 — the others are read
-- by row from stg_monitoring_indicator_text (issue 15: the judged rows no longer copy them).
with source as (
    select * from {{ source('raw', 'raw_monitoring_indicator') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        {{ period_key('source.period') }} as period,
        trim(source.project_code) as project_code,
        trim(source.level1) as level1,
        trim(source.level2) as level2,
        trim(source.level3) as level3,
        trim(source.annual_target) as annual_target,
        nullif(trim(source.period_target), '') as period_target,
        nullif(trim(source.possibility), '') as possibility,
        source.target_comparator,
        source.target_value,
        source.target_unit,
        source.is_cumulative,
        source.is_qualitative,
        source.period_target_value,
        source.actual_value,
        source.actual_band
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'monitoring_indicator'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.period = current_batch.period
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
