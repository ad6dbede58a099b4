-- 部门整体自评 资金 (表1-3-2): the latest loaded batch per (fiscal_year, department_code).
with source as (
    select * from raw_dept_selfeval_fund
),

loaded_batches as (
    select batch_id from etl_batch where status = 'loaded'
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.department_code) as department_code,
        nullif(trim(source.department_name), '') as department_name,
        trim(source.fund_line) as fund_line,
        source.initial_budget,
        source.annual_budget,
        source.annual_executed,
        source.weight,
        source.published_score
    from source
    inner join loaded_batches on source.batch_id = loaded_batches.batch_id
),

latest_batches as (
    select
        fiscal_year,
        department_code,
        max(batch_id) as batch_id
    from renamed
    group by fiscal_year, department_code
),

latest as (
    select renamed.*
    from renamed
    inner join latest_batches
        on renamed.fiscal_year = latest_batches.fiscal_year
        and renamed.department_code = latest_batches.department_code
        and renamed.batch_id = latest_batches.batch_id
)

select * from latest
