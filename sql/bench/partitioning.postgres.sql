-- Issue 16, item 5: what declarative partitioning by fiscal year buys on PostgreSQL at province scale, measured on a
-- synthetic copy of the largest raw table (raw_monitoring_indicator: ≈3M indicator rows a year at the demo's province
-- scale, 133 counties) with region_code added, once plain and once PARTITION BY LIST (fiscal_year). Run by
-- tests/cluster/partition-bench.sh (psql \timing); :years and :per_year are set there.
\set ON_ERROR_STOP on
\timing off
SET client_min_messages = warning;
DROP TABLE IF EXISTS probe_plain, probe_parted CASCADE;

CREATE TABLE probe_plain (
    batch_id BIGINT NOT NULL, source_row INTEGER NOT NULL, fiscal_year INTEGER NOT NULL, period VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL, project_code VARCHAR NOT NULL, level1 VARCHAR NOT NULL, level2 VARCHAR NOT NULL,
    level3 VARCHAR NOT NULL, comparator VARCHAR, annual_target VARCHAR NOT NULL, unit VARCHAR, period_actual VARCHAR,
    possibility VARCHAR, light VARCHAR NOT NULL
);
CREATE TABLE probe_parted (LIKE probe_plain) PARTITION BY LIST (fiscal_year);
SELECT format('CREATE TABLE probe_parted_%s PARTITION OF probe_parted FOR VALUES IN (%s)', y, y)
FROM generate_series(2027 - :years, 2026) y \gexec

-- the rows: :per_year a year, 133 counties (660101…), 8 indicators per project, a fifth of them red
CREATE TEMP VIEW probe_rows AS
SELECT (y * 10)::BIGINT AS batch_id, (i % 1000000)::INT AS source_row, y AS fiscal_year, '1-6月'::VARCHAR AS period,
       (660101 + i % 133)::VARCHAR AS region_code, 'P' || y || lpad((i / 8)::TEXT, 7, '0') AS project_code,
       '产出指标'::VARCHAR AS level1, '数量指标'::VARCHAR AS level2, '指标' || (i % 8) AS level3, '≥'::VARCHAR AS comparator,
       (100 + i % 50)::VARCHAR AS annual_target, '人次'::VARCHAR AS unit, (i % 120)::VARCHAR AS period_actual,
       '确定能'::VARCHAR AS possibility, CASE WHEN i % 5 = 0 THEN 'red' WHEN i % 7 = 0 THEN 'yellow' ELSE 'green' END AS light
FROM generate_series(2027 - :years, 2026) y, generate_series(1, :per_year) i;

\echo '-- load (INSERT … SELECT of all years), then index (fiscal_year, region_code) and ANALYZE'
\timing on
\echo plain:
INSERT INTO probe_plain SELECT * FROM probe_rows;
CREATE INDEX ON probe_plain (fiscal_year, region_code);
ANALYZE probe_plain;
\echo partitioned:
INSERT INTO probe_parted SELECT * FROM probe_rows;
CREATE INDEX ON probe_parted (fiscal_year, region_code);
ANALYZE probe_parted;
\timing off
SELECT 'rows: ' || count(*) FROM probe_plain;
SELECT 'size plain: ' || pg_size_pretty(pg_total_relation_size('probe_plain'));
SELECT 'size partitioned: ' || pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'probe_parted'::regclass;

-- 1. a county's ranking page for the latest year (index on both; pruning on the partitioned one), run 3 times
\echo '-- page query: one county, the latest year: red indicators per project, worst 50 (3 runs each)'
\timing on
\echo plain:
SELECT count(*) FROM (SELECT project_code, count(*) FILTER (WHERE light = 'red') AS red FROM probe_plain
    WHERE fiscal_year = 2026 AND period = '1-6月' AND region_code = '660121' GROUP BY project_code ORDER BY red DESC, project_code LIMIT 50) q;
SELECT count(*) FROM (SELECT project_code, count(*) FILTER (WHERE light = 'red') AS red FROM probe_plain
    WHERE fiscal_year = 2026 AND period = '1-6月' AND region_code = '660121' GROUP BY project_code ORDER BY red DESC, project_code LIMIT 50) q;
SELECT count(*) FROM (SELECT project_code, count(*) FILTER (WHERE light = 'red') AS red FROM probe_plain
    WHERE fiscal_year = 2026 AND period = '1-6月' AND region_code = '660121' GROUP BY project_code ORDER BY red DESC, project_code LIMIT 50) q;
\echo partitioned:
SELECT count(*) FROM (SELECT project_code, count(*) FILTER (WHERE light = 'red') AS red FROM probe_parted
    WHERE fiscal_year = 2026 AND period = '1-6月' AND region_code = '660121' GROUP BY project_code ORDER BY red DESC, project_code LIMIT 50) q;
SELECT count(*) FROM (SELECT project_code, count(*) FILTER (WHERE light = 'red') AS red FROM probe_parted
    WHERE fiscal_year = 2026 AND period = '1-6月' AND region_code = '660121' GROUP BY project_code ORDER BY red DESC, project_code LIMIT 50) q;
SELECT count(*) FROM (SELECT project_code, count(*) FILTER (WHERE light = 'red') AS red FROM probe_parted
    WHERE fiscal_year = 2026 AND period = '1-6月' AND region_code = '660121' GROUP BY project_code ORDER BY red DESC, project_code LIMIT 50) q;

-- 2. the province row of 总览 for the latest year: every county of one year (a scan: pruning reads one year of :years)
\echo '-- rollup: red indicators per county, the latest year (2 runs each)'
\echo plain:
SELECT count(*) FROM (SELECT region_code, count(*) FILTER (WHERE light = 'red') FROM probe_plain WHERE fiscal_year = 2026 GROUP BY region_code) q;
SELECT count(*) FROM (SELECT region_code, count(*) FILTER (WHERE light = 'red') FROM probe_plain WHERE fiscal_year = 2026 GROUP BY region_code) q;
\echo partitioned:
SELECT count(*) FROM (SELECT region_code, count(*) FILTER (WHERE light = 'red') FROM probe_parted WHERE fiscal_year = 2026 GROUP BY region_code) q;
SELECT count(*) FROM (SELECT region_code, count(*) FILTER (WHERE light = 'red') FROM probe_parted WHERE fiscal_year = 2026 GROUP BY region_code) q;
\timing off
\echo '-- the partitioned plan of the rollup (partitions read):'
EXPLAIN (COSTS OFF) SELECT region_code, count(*) FROM probe_parted WHERE fiscal_year = 2026 GROUP BY region_code;

-- 3. retiring the oldest year: DELETE of its rows against DETACH + DROP of its partition
\echo '-- retire the oldest year'
\timing on
\echo plain (DELETE):
DELETE FROM probe_plain WHERE fiscal_year = 2027 - :years;
\echo partitioned (DETACH + DROP):
SELECT format('ALTER TABLE probe_parted DETACH PARTITION probe_parted_%s', 2027 - :years) \gexec
SELECT format('DROP TABLE probe_parted_%s', 2027 - :years) \gexec
\timing off
DROP TABLE probe_plain, probe_parted CASCADE;
