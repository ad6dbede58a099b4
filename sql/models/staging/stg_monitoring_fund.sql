-- 监控资金 (附件1 upper block): the latest loaded batch per (fiscal_year, period, project_code).
with source as (
    select * from raw_monitoring_fund
),

loaded_batches as (
    select batch_id from etl_batch where status = 'loaded'
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-')) as period,
        trim(source.project_code) as project_code,
        nullif(trim(source.project_name), '') as project_name,
        nullif(trim(source.department_code), '') as department_code,
        nullif(trim(source.department_name), '') as department_name,
        nullif(trim(source.implementing_unit), '') as implementing_unit,
        trim(source.fund_line) as fund_line,
        source.initial_budget,
        source.adjusted_budget,
        source.planned_execution,
        source.executed,
        source.forecast_execution,
        source.carryover_years
    from source
    inner join loaded_batches on source.batch_id = loaded_batches.batch_id
),

latest_batches as (
    select
        fiscal_year,
        period,
        project_code,
        max(batch_id) as batch_id
    from renamed
    group by fiscal_year, period, project_code
),

latest as (
    select renamed.*
    from renamed
    inner join latest_batches
        on renamed.fiscal_year = latest_batches.fiscal_year
        and renamed.period = latest_batches.period
        and renamed.project_code = latest_batches.project_code
        and renamed.batch_id = latest_batches.batch_id
)

select * from latest
