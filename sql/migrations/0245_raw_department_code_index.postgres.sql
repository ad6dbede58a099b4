-- Issue 15 (PostgreSQL at province scale, the incremental pass): an index on the department code of the raw project
-- forms, as the staging views spell it (nullif(trim(department_code), '')). dim_department's incremental step reads
-- the 监控资金 and 自评资金 rows naming each touched department (a department's name and 区划 come from every row that
-- carries its code); without it PostgreSQL computed the whole stg_monitoring_fund view — 434,882 raw rows joined to
-- their current batch, about 0.8 s — to keep a few hundred.
-- PostgreSQL only: DuckDB filters the scan itself, and an ART index would slow its bulk appends.

CREATE INDEX IF NOT EXISTS raw_monitoring_fund_department ON raw_monitoring_fund (nullif(trim(department_code), ''));
CREATE INDEX IF NOT EXISTS raw_selfeval_fund_department ON raw_selfeval_fund (nullif(trim(department_code), ''));
