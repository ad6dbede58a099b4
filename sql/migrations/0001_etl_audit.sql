-- Audit of every file offered to the ETL: one etl_batch row per file, loaded or rejected.
CREATE SEQUENCE etl_batch_seq START 1;

CREATE TABLE etl_batch (
    batch_id      BIGINT PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR(64) NOT NULL,
    kind          VARCHAR NOT NULL,
    row_count     INTEGER NOT NULL,
    warning_count INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    loaded_at     TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL   -- 'loaded' | 'rejected'
);

-- Errors and warnings found while validating a file; errors mean the batch loaded nothing.
CREATE TABLE load_error (
    batch_id    BIGINT NOT NULL,
    file_name   VARCHAR NOT NULL,
    sheet       VARCHAR,
    row_number  INTEGER,
    column_name VARCHAR,
    value       VARCHAR,
    severity    VARCHAR NOT NULL,    -- 'error' | 'warning'
    message     VARCHAR NOT NULL
);
