-- Issue 15 (readers under a burst): the warehouse's version (数仓版本), the key of the dashboard's result cache.
-- One row is appended by every change a page can show: a build, inside its swap/commit transaction (the staged DuckDB
-- swap, the one-transaction build, the PostgreSQL swap: IncrementalBuilder.CommitStateAsync), and every write outside a
-- build that pages read (财政批注 flag_annotation, 政策参数 policy_override, 预算安排模拟方案 allocation_scenario, the
-- regulation tables, users) inside that write's transaction. The version is COUNT(*): append-only, so concurrent
-- writers never update one row (DuckDB would raise a write-write conflict in a build's long transaction) and every commit
-- raises it by one, whichever process made it (several dashboards on one PostgreSQL see each other's changes).
CREATE TABLE warehouse_version (
    changed_at TIMESTAMP NOT NULL,
    reason     VARCHAR NOT NULL
);
