-- Issue 15 (the PostgreSQL incremental pass): the rows an incremental model holds, recorded with its fingerprint by the
-- build that wrote it, so the next incremental build reports its rows as these − deleted + inserted instead of counting
-- the whole table again (province: COUNT(*) of fct_indicator_progress and mart_indicator_derivation, 2.9M rows each,
-- about 1 s apiece per pass). NULL: not recorded (a table model, a raw signature, a build before this column): counted.
ALTER TABLE runner_model_state ADD COLUMN row_count BIGINT;
