-- slice_by_batch: true
-- 申报资金 (表2-1 upper block): the latest loaded batch per (fiscal_year, project_code) — what the project declared when its budget was set.
with source as (
    select * from {{ source('raw', 'raw_declaration_fund') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.project_code) as project_code,
        trim(source.fund_line) as fund_line,
        source.planned_execution,
        source.annual_budget,
        nullif(trim(source.annual_goal), '') as annual_goal
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'declaration_fund'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
