-- 纠偏表 (附件2) as submitted: one row per (fiscal_year, quarter, project_code, source_row) of the latest loaded batch per (fiscal_year, quarter, project_code) (stg_correction). The core fact that marts read.
with submitted as (
    select * from {{ ref('stg_correction') }}
)

select * from submitted
