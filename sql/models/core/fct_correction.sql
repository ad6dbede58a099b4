-- slice_by_batch: true
-- 纠偏表 (附件2) as submitted: one row per (fiscal_year, quarter, project_code, source_row) of the latest loaded batch per (fiscal_year, quarter, project_code) (stg_correction). The core fact that marts read.
-- slice_by_batch: its rows are stg_correction's, each with its current batch_id, so an incremental model reads only the touched slices'
-- current batches through it (mart_indicator_correction joined every 纠偏表 and 调整表 row of the province to its current batch, issue 15)
with submitted as (
    select * from {{ ref('stg_correction') }}
)

select * from submitted
