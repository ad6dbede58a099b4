-- slice_by_batch: true
-- 自评资金 (表2-3-2 upper block): the latest loaded batch per (fiscal_year, project_code).
with source as (
    select * from {{ source('raw', 'raw_selfeval_fund') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.project_code) as project_code,
        nullif(trim(source.project_name), '') as project_name,
        nullif(trim(source.department_code), '') as department_code,
        nullif(trim(source.department_name), '') as department_name,
        trim(source.fund_line) as fund_line,
        source.initial_budget,
        source.annual_budget,
        source.annual_executed,
        source.weight,
        source.published_score,
        nullif(trim(source.annual_goal), '') as annual_goal,
        nullif(trim(source.goal_progress), '') as goal_progress
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'selfeval_fund'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
