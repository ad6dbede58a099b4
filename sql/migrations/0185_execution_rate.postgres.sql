-- 执行率 of a sum: execution_rate(Σ执行数, Σ预算数) — the PostgreSQL twin of 0185_execution_rate.duckdb.sql (read
-- that file for the rule and who calls it). IMMUTABLE and a single SELECT, so the planner inlines it.
CREATE OR REPLACE FUNCTION execution_rate(executed NUMERIC, budget NUMERIC) RETURNS NUMERIC
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN budget <> 0 THEN CAST(round(CAST(executed / budget AS DECIMAL(18,8)), 4) AS DECIMAL(18,4)) END $$;
