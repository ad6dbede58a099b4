-- slice_by_batch: true
-- materialized: incremental
-- unique_key: fiscal_year, period, department_code
-- Kept incrementally (issue 15): a build after uploads recomputes only the touched departments' slices.
-- 部门整体监控 指标 (表1-2): the latest loaded batch per (fiscal_year, period, department_code).
with source as (
    select * from {{ source('raw', 'raw_dept_monitoring_indicator') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        {{ period_key('source.period') }} as period,
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
        nullif(trim(source.deviation_flag), '') as deviation_flag,
        nullif(trim(source.key_work), '') as key_work,
        nullif(trim(source.related_project), '') as related_project,
        source.target_comparator,
        source.target_value,
        source.target_unit,
        source.is_cumulative,
        source.is_qualitative,
        source.period_target_value,
        source.actual_value,
        source.actual_band
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'dept_monitoring_indicator'
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
