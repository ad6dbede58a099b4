-- slice_by_batch: true
-- materialized: incremental
-- unique_key: fiscal_year, department_code
-- Kept incrementally (issue 15): a build after uploads recomputes only the touched departments' slices.
-- 部门整体自评 资金 (表1-3-2): the latest loaded batch per (fiscal_year, department_code).
with source as (
    select * from {{ source('raw', 'raw_dept_selfeval_fund') }}
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
        source.published_score,
        nullif(trim(source.annual_goal), '') as annual_goal,
        nullif(trim(source.goal_progress), '') as goal_progress
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'dept_selfeval_fund'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.department_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
    {% if is_incremental() %}
    -- 增量 (issue 15): only the departments' slices this build recomputes (build_slice, whose keys the runner deletes)
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where current_batch.entity_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'department')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.entity_kind = 'department' and touched.entity_code = current_batch.entity_code
            and touched.fiscal_year = current_batch.fiscal_year
    )
    {% endif %}
)

select * from latest
