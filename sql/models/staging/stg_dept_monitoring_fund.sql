-- slice_by_batch: true
-- materialized: incremental
-- unique_key: fiscal_year, period, department_code
-- Kept incrementally (issue 15): a build after uploads recomputes only the touched departments' slices.
-- 部门整体监控 资金 (表1-2): the latest loaded batch per (fiscal_year, period, department_code).
with source as (
    select * from {{ source('raw', 'raw_dept_monitoring_fund') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        {{ period_key('source.period') }} as period,
        trim(source.department_code) as department_code,
        nullif(trim(source.department_name), '') as department_name,
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
        on current_batch.source_name = 'dept_monitoring_fund'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.period = current_batch.period
        and renamed.department_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
    {% if is_incremental() %}
    -- 增量 (issue 15): only the departments' slices this build recomputes (build_slice, whose keys the runner deletes)
    where {{ in_slice('current_batch', 'department', 'entity_code', 'period') }}
    {% endif %}
)

select * from latest
