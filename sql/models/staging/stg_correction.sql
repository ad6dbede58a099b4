-- slice_by_batch: true
-- 纠偏 (附件2): the latest loaded batch per (fiscal_year, quarter, project_code).
-- quarter is normalised to Q1..Q4 (第一季度, 一季度, 1 → Q1).
with source as (
    select * from {{ source('raw', 'raw_correction') }}
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        case
            when upper(trim(source.quarter)) in ('Q1', '1', '一季度', '第一季度', '1季度', '第1季度') then 'Q1'
            when upper(trim(source.quarter)) in ('Q2', '2', '二季度', '第二季度', '2季度', '第2季度') then 'Q2'
            when upper(trim(source.quarter)) in ('Q3', '3', '三季度', '第三季度', '3季度', '第3季度') then 'Q3'
            when upper(trim(source.quarter)) in ('Q4', '4', '四季度', '第四季度', '4季度', '第4季度') then 'Q4'
            else upper(trim(source.quarter))
        end as quarter,
        trim(source.project_code) as project_code,
        trim(source.level1) as level1,
        trim(source.level2) as level2,
        trim(source.level3) as level3,
        nullif(trim(source.final_target), '') as final_target,
        nullif(trim(source.quarter_target), '') as quarter_target,
        nullif(trim(source.actual), '') as actual,
        nullif(trim(source.deviation), '') as deviation,
        nullif(trim(source.problems), '') as problems,
        nullif(trim(source.measures), '') as measures
    from source
),

latest as (
    select renamed.*
    from renamed
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'correction'
        and renamed.fiscal_year = current_batch.fiscal_year
        and renamed.quarter = current_batch.period
        and renamed.project_code = current_batch.entity_code
        and renamed.batch_id = current_batch.batch_id
)

select * from latest
