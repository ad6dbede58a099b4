-- Issue 15 (PostgreSQL at province scale, the incremental pass): an index on every raw landing table's batch_id.
-- Every step of an incremental build finds rows by batch: the change tracker (does a changed batch have rows in this
-- table; is a changed batch in none), stg_current_batch's incremental arms (the changed batches' rows,
-- `batch_id in (select batch_id from runner_changed_batch)`), and the slice reads of the incremental models
-- (`(select * from stg_x where batch_id in (…))`, pushed into the raw table's scan). Without it each of them read the
-- whole table: stg_current_batch's incremental step alone took 14.2 s at province scale (2,928,882 indicator rows), for
-- an upload of 1,668 rows. PostgreSQL only: DuckDB skips other batches' row groups by its zone maps, and an ART index
-- would slow its bulk appends.

CREATE INDEX IF NOT EXISTS raw_project_batch ON raw_project (batch_id);
CREATE INDEX IF NOT EXISTS raw_monitoring_fund_batch ON raw_monitoring_fund (batch_id);
CREATE INDEX IF NOT EXISTS raw_monitoring_indicator_batch ON raw_monitoring_indicator (batch_id);
CREATE INDEX IF NOT EXISTS raw_selfeval_fund_batch ON raw_selfeval_fund (batch_id);
CREATE INDEX IF NOT EXISTS raw_selfeval_indicator_batch ON raw_selfeval_indicator (batch_id);
CREATE INDEX IF NOT EXISTS raw_correction_batch ON raw_correction (batch_id);
CREATE INDEX IF NOT EXISTS raw_adjustment_batch ON raw_adjustment (batch_id);
CREATE INDEX IF NOT EXISTS raw_dept_monitoring_fund_batch ON raw_dept_monitoring_fund (batch_id);
CREATE INDEX IF NOT EXISTS raw_dept_monitoring_indicator_batch ON raw_dept_monitoring_indicator (batch_id);
CREATE INDEX IF NOT EXISTS raw_dept_selfeval_fund_batch ON raw_dept_selfeval_fund (batch_id);
CREATE INDEX IF NOT EXISTS raw_dept_selfeval_indicator_batch ON raw_dept_selfeval_indicator (batch_id);
CREATE INDEX IF NOT EXISTS raw_declaration_fund_batch ON raw_declaration_fund (batch_id);
CREATE INDEX IF NOT EXISTS raw_declaration_indicator_batch ON raw_declaration_indicator (batch_id);
CREATE INDEX IF NOT EXISTS raw_dept_declaration_fund_batch ON raw_dept_declaration_fund (batch_id);
CREATE INDEX IF NOT EXISTS raw_dept_declaration_indicator_batch ON raw_dept_declaration_indicator (batch_id);

-- the statistics of the tables the indexes were built on (the runner's build analyses its own tables, not these)
ANALYZE raw_project;
ANALYZE raw_monitoring_fund;
ANALYZE raw_monitoring_indicator;
ANALYZE raw_selfeval_fund;
ANALYZE raw_selfeval_indicator;
ANALYZE raw_correction;
ANALYZE raw_adjustment;
ANALYZE raw_dept_monitoring_fund;
ANALYZE raw_dept_monitoring_indicator;
ANALYZE raw_dept_selfeval_fund;
ANALYZE raw_dept_selfeval_indicator;
ANALYZE raw_declaration_fund;
ANALYZE raw_declaration_indicator;
ANALYZE raw_dept_declaration_fund;
ANALYZE raw_dept_declaration_indicator;
