-- slice_by_batch: true
-- 监控指标的填报文字 (附件1 lower block): what a department wrote in each indicator row of every loaded batch, keyed by
-- the row's batch, its row number and the (年度, 期间, 项目) it is for (a workbook's sheets of 附件1, one project each,
-- number their rows alike in one batch): 指标值 as written, 计量单位, 1-6月实际完成值, 全年预计完成值, 偏差原因,
-- 原因说明, 改进措施, 备注 and 是否偏差, beside the parsed 指标值 columns (target_comparator … actual_band, migration
-- 0005). Not a choice of batch: a row of fct_indicator_judgement (the current batch's rows, stg_monitoring_indicator)
-- names its own. An incremental build reads only the touched slices' current batches from it (slice_by_batch): the
-- rows a touched slice's judged rows name (issue 15: read whole, mart_indicator_correction's step took 0.3–0.5 s a pass
-- at province scale, 0.1 s before the texts left the judgement).
-- Issue 15, the full build at province scale: these texts were copied into fct_indicator_judgement's 3·10⁶ rows in
-- every full build (DuckDB: the table's CREATE TABLE AS 8.0–9.5 s with them, 3.8–4.1 s without); the view
-- fct_indicator_progress joins them to the judged rows instead (PostgreSQL: by the raw table's (batch_id, source_row)
-- index, migration 0275, then the row's year, period and project).
with source as (
    select * from {{ source('raw', 'raw_monitoring_indicator') }}
),

written as (
    select
        source.batch_id,
        source.source_row,
        source.fiscal_year,
        {{ period_key('source.period') }} as period,
        trim(source.project_code) as project_code,
        nullif(trim(source.comparator), '') as comparator,
        trim(source.annual_target) as annual_target,
        nullif(trim(source.unit), '') as unit,
        nullif(trim(source.period_target), '') as period_target,
        nullif(trim(source.period_actual), '') as period_actual,
        nullif(trim(source.forecast_actual), '') as forecast_actual,
        nullif(trim(source.deviation_causes), '') as deviation_causes,
        nullif(trim(source.cause_note), '') as cause_note,
        nullif(trim(source.improvement), '') as improvement,
        nullif(trim(source.remark), '') as remark,
        nullif(trim(source.deviation_flag), '') as deviation_flag,
        source.target_comparator,
        source.target_value,
        source.target_unit,
        source.is_cumulative,
        source.is_qualitative,
        source.period_target_value,
        source.actual_value,
        source.actual_band
    from source
)

select * from written
