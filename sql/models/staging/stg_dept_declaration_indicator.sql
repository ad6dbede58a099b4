-- slice_by_batch: true
-- 部门整体申报指标 (表1-1 lower blocks): the latest loaded batch per (fiscal_year, department_code) — each indicator's
-- declared 半年 / 全年 指标值 (履职 with its 重点工作 / 对应项目).
with source as (
    select * from {{ source('raw', 'raw_dept_declaration_indicator') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        trim(source.department_code) as department_code,
        trim(source.level1) as level1,
        trim(source.level2) as level2,
        trim(source.level3) as level3,
        nullif(trim(source.period_target), '') as period_target,
        trim(source.annual_target) as annual_target,
        nullif(trim(source.key_work), '') as key_work,
        nullif(trim(source.related_project), '') as related_project
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'dept_declaration_indicator'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.department_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
