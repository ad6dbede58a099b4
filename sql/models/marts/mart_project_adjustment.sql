-- 调整表 (附件3) rows as submitted, for the project page and the reports (fct_adjustment): one row per (fiscal_year, project_code, source_row) of the latest loaded batch per (fiscal_year, project_code).
with submitted as (
    select * from {{ ref('fct_adjustment') }}
)

select * from submitted
