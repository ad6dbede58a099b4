-- slice_by_batch: true
-- 调整表 (附件3) as submitted: one row per (fiscal_year, project_code, source_row) of the latest loaded batch per (fiscal_year, project_code) (stg_adjustment). The core fact that marts read.
-- slice_by_batch: its rows are stg_adjustment's, each with its current batch_id, so an incremental model reads only the touched slices'
-- current batches through it (mart_indicator_correction joined every 纠偏表 and 调整表 row of the province to its current batch, issue 15)
with submitted as (
    select * from {{ ref('stg_adjustment') }}
)

select * from submitted
