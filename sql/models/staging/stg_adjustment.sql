-- slice_by_batch: true
-- 调整 (附件3): the latest loaded batch per (fiscal_year, project_code); one row per changed indicator.
with source as (
    select * from {{ source('raw', 'raw_adjustment') }}
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
        nullif(trim(source.explanation), '') as explanation,
        nullif(trim(source.adjusted_output), '') as adjusted_output,
        nullif(trim(source.adjusted_outcome), '') as adjusted_outcome,
        nullif(trim(source.adjusted_completion), '') as adjusted_completion,
        nullif(trim(source.work_tasks), '') as work_tasks,
        nullif(trim(source.schedule_plan), '') as schedule_plan
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'adjustment'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
