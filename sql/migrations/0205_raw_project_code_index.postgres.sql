-- Issue 15 (PostgreSQL at province scale, the incremental pass of the marts): an index on the trimmed 项目编码 of the
-- raw tables the incremental marts and dimensions read by project. mart_overlap_pairs reads the 监控指标 names of the few
-- dozen projects a pass pairs (the raw rows of their current batches, `trim(project_code) = …`); stg_project and
-- dim_department read the raw rows of the projects a changed batch names (`trim(project_code) in (…)`). Without it each
-- of them scanned the whole table and computed trim() on every row: mart_overlap_pairs' incremental step took 4.0 s, of
-- which 3.2 s was that scan of 2,928,882 indicator rows, and 1.0 s with it (province demo, load average about 30).
-- PostgreSQL only: DuckDB filters the scan itself, and an ART index would slow its bulk appends.

CREATE INDEX IF NOT EXISTS raw_monitoring_indicator_project ON raw_monitoring_indicator (trim(project_code));
CREATE INDEX IF NOT EXISTS raw_monitoring_fund_project ON raw_monitoring_fund (trim(project_code));
CREATE INDEX IF NOT EXISTS raw_selfeval_fund_project ON raw_selfeval_fund (trim(project_code));
CREATE INDEX IF NOT EXISTS raw_project_project ON raw_project (trim(project_code));
