-- slice_by_batch: true
-- 申报指标 (表2-1 lower block): the latest loaded batch per (fiscal_year, project_code) — what the project declared when its budget was set.
with source as (
    select * from {{ source('raw', 'raw_declaration_indicator') }}
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
        nullif(trim(source.period_target), '') as period_target,
        trim(source.annual_target) as annual_target
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'declaration_indicator'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
