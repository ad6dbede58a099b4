-- 调整表 (附件3) as submitted: one row per (fiscal_year, project_code, source_row) of the latest loaded batch per (fiscal_year, project_code) (stg_adjustment). The core fact that marts read.
with submitted as (
    select * from {{ ref('stg_adjustment') }}
)

select * from submitted
