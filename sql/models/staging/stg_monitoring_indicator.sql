-- slice_by_batch: true
-- 监控指标 (附件1 lower block): the latest loaded batch per (fiscal_year, period, project_code).
-- Target and actual texts stay raw beside the loader's parsed columns (target_comparator … actual_band, migration 0005).
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
        nullif(trim(source.comparator), '') as comparator,
        trim(source.annual_target) as annual_target,
        nullif(trim(source.unit), '') as unit,
        nullif(trim(source.period_target), '') as period_target,
        nullif(trim(source.period_actual), '') as period_actual,
        nullif(trim(source.forecast_actual), '') as forecast_actual,
        nullif(trim(source.deviation_causes), '') as deviation_causes,
        nullif(trim(source.cause_note), '') as cause_note,
        nullif(trim(source.improvement), '') as improvement,
        nullif(trim(source.possibility), '') as possibility,
        nullif(trim(source.remark), '') as remark,
        nullif(trim(source.deviation_flag), '') as deviation_flag,
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
