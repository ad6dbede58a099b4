-- slice_by_batch: true
-- 监控资金 (附件1 upper block): the latest loaded batch per (fiscal_year, period, project_code).
with source as (
    select * from {{ source('raw', 'raw_monitoring_fund') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        {{ period_key('source.period') }} as period,
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
        source.carryover_years,
        nullif(trim(source.deviation_flag), '') as deviation_flag,
        nullif(trim(source.annual_goal), '') as annual_goal,
        nullif(trim(source.goal_progress), '') as goal_progress
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'monitoring_fund'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.period = current_batch.period
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
