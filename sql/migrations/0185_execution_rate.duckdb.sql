-- 执行率 of a sum (issue 12: rules live in the warehouse): execution_rate(Σ执行数, Σ预算数) = executed ÷ budget,
-- NULL when budget is 0, through DECIMAL(18,8) and rounded to 4 places half away from zero, as DECIMAL(18,4) — the one
-- definition every total reads: mart_trends (per department), 总览's KPI and trend over the departments and projects
-- in scope (OverviewQueries), the trend grid by region and by fund nature (TrendQueries). A sum over the caller's
-- scope and cross-filter is known only at query time, so the rule is a function the query calls, not a column.
-- DuckDB divides decimals as DOUBLE: the cast to DECIMAL(18,8) before round() makes it agree with PostgreSQL's exact
-- division (see core/fct_execution_rating.sql). The PostgreSQL twin is 0185_execution_rate.postgres.sql.
CREATE OR REPLACE MACRO execution_rate(executed, budget) AS
    CASE WHEN budget <> 0 THEN CAST(round(CAST(executed / budget AS DECIMAL(18,8)), 4) AS DECIMAL(18,4)) END;
