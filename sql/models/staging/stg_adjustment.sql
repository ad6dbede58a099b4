-- 调整 (附件3): the latest loaded batch per (fiscal_year, project_code); one row per changed indicator.
with source as (
    select * from raw_adjustment
),

loaded_batches as (
    select batch_id from etl_batch where status = 'loaded'
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.project_code) as project_code,
        trim(source.reason) as reason,
        source.original_amount,
        source.adjusted_amount,
        nullif(trim(source.level1), '') as level1,
        nullif(trim(source.level2), '') as level2,
        nullif(trim(source.level3), '') as level3,
        nullif(trim(source.original_target), '') as original_target,
        nullif(trim(source.adjusted_target), '') as adjusted_target,
        nullif(trim(source.explanation), '') as explanation
    from source
    inner join loaded_batches on source.batch_id = loaded_batches.batch_id
),

latest_batches as (
    select
        fiscal_year,
        project_code,
        max(batch_id) as batch_id
    from renamed
    group by fiscal_year, project_code
),

latest as (
    select renamed.*
    from renamed
    inner join latest_batches
        on renamed.fiscal_year = latest_batches.fiscal_year
        and renamed.project_code = latest_batches.project_code
        and renamed.batch_id = latest_batches.batch_id
)

select * from latest
