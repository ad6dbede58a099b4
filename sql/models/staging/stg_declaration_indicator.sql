-- 申报指标 (表2-1 lower block): the latest loaded batch per (fiscal_year, project_code) — what the project declared when its budget was set.
with source as (
    select * from raw_declaration_indicator
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
        trim(source.level1) as level1,
        trim(source.level2) as level2,
        trim(source.level3) as level3,
        nullif(trim(source.period_target), '') as period_target,
        trim(source.annual_target) as annual_target
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
