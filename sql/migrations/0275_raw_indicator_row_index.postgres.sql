-- Issue 15 (the full build at province scale): fct_indicator_judgement no longer copies the texts of the 监控指标
-- rows; the view fct_indicator_progress joins them by row (stg_monitoring_indicator_text, on batch_id and source_row).
-- The project page reads one project's dozen indicators: each finds its raw row by this index. The index on batch_id
-- alone (migration 0194) could not: a province's first load is one batch of 2.9M rows. This one leads with batch_id,
-- so the change tracker's and the incremental arms' lookups by batch read it as they read that one, which it replaces
-- (one index to keep up in every COPY, not two). PostgreSQL only: DuckDB's zone maps prune the raw table's row groups
-- by the join's batch_id and source_row range.

CREATE INDEX IF NOT EXISTS raw_monitoring_indicator_row ON raw_monitoring_indicator (batch_id, source_row);
DROP INDEX IF EXISTS raw_monitoring_indicator_batch;
ANALYZE raw_monitoring_indicator;
