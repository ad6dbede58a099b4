-- slice_by_batch: true
-- 自评指标 (表2-3-2 lower block): the latest loaded batch per (fiscal_year, project_code).
with source as (
    select * from {{ source('raw', 'raw_selfeval_indicator') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.project_code) as project_code,
        trim(source.level1) as level1,
        trim(source.level2) as level2,
        trim(source.level3) as level3,
        nullif(trim(source.comparator), '') as comparator,
        trim(source.annual_target) as annual_target,
        nullif(trim(source.unit), '') as unit,
        nullif(trim(source.actual), '') as actual,
        source.weight,
        source.published_score,
        nullif(trim(source.deviation_note), '') as deviation_note,
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
        on current_batch.source_name = 'selfeval_indicator'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
