-- The model runner's own record: one row per node per build, and the failing rows of data tests (capped).
CREATE TABLE run_results (
    run_id     VARCHAR NOT NULL,
    node       VARCHAR NOT NULL,
    node_type  VARCHAR NOT NULL,   -- 'seed' | 'model' | 'test'
    status     VARCHAR NOT NULL,   -- 'success' | 'error' | 'pass' | 'fail' | 'skipped'
    row_count  BIGINT,
    seconds    DECIMAL(18,4) NOT NULL,
    sql_sha256 VARCHAR(64),
    message    VARCHAR,
    started_at TIMESTAMP NOT NULL
);

CREATE TABLE test_failures (
    run_id        VARCHAR NOT NULL,
    test_name     VARCHAR NOT NULL,
    failure_count BIGINT NOT NULL,
    row_number    INTEGER NOT NULL,
    row_json      VARCHAR NOT NULL
);
