-- 纠偏表 (附件2) rows as submitted, for the project page and the reports (fct_correction): one row per (fiscal_year, quarter, project_code, source_row) of the latest loaded batch per (fiscal_year, quarter, project_code).
with submitted as (
    select * from {{ ref('fct_correction') }}
)

select * from submitted
