-- 部门整体监控 指标 (表1-2): the latest loaded batch per (fiscal_year, period, department_code).
with source as (
    select * from raw_dept_monitoring_indicator
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
        trim(source.department_code) as department_code,
        trim(source.level1) as level1,
        trim(source.level2) as level2,
        trim(source.level3) as level3,
        nullif(trim(source.comparator), '') as comparator,
        trim(source.annual_target) as annual_target,
        nullif(trim(source.unit), '') as unit,
        nullif(trim(source.period_target), '') as period_target,
        nullif(trim(source.period_actual), '') as period_actual,
        nullif(trim(source.forecast_actual), '') as forecast_actual,
        nullif(trim(source.deviation_causes), '') as deviation_causes,
        nullif(trim(source.cause_note), '') as cause_note,
        nullif(trim(source.improvement), '') as improvement,
        nullif(trim(source.possibility), '') as possibility,
        nullif(trim(source.remark), '') as remark,
        source.target_comparator,
        source.target_value,
        source.target_unit,
        source.is_cumulative,
        source.is_qualitative,
        source.period_target_value,
        source.actual_value,
        source.actual_band
    from source
    inner join loaded_batches on source.batch_id = loaded_batches.batch_id
),

latest_batches as (
    select
        fiscal_year,
        period,
        department_code,
        max(batch_id) as batch_id
    from renamed
    group by fiscal_year, period, department_code
),

latest as (
    select renamed.*
    from renamed
    inner join latest_batches
        on renamed.fiscal_year = latest_batches.fiscal_year
        and renamed.period = latest_batches.period
        and renamed.department_code = latest_batches.department_code
        and renamed.batch_id = latest_batches.batch_id
)

select * from latest
