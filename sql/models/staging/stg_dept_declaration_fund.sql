-- slice_by_batch: true
-- 部门整体申报资金 (表1-1 upper block): the latest loaded batch per (fiscal_year, department_code) — what the department
-- declared when its budget was set (全年预算数, 半年计划执行数 per line; the 年度目标 text on each line).
with source as (
    select * from {{ source('raw', 'raw_dept_declaration_fund') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.department_code) as department_code,
        nullif(trim(source.department_name), '') as department_name,
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
        on current_batch.source_name = 'dept_declaration_fund'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.department_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
