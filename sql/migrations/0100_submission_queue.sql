-- Issue 15 item 2, the submission queue (上报队列): an upload validated and accepted at once waits here, file and all,
-- until a background worker of any dashboard instance loads it and builds (every waiting submission into one build).
-- Instances share nothing but the database, so the file's bytes live in the row (NULL once it is visible or rejected).
-- state: queued (排队中) → loading (入库中) → building (构建中) → visible (已生效); or rejected (已拒绝, the load refused
-- it) or failed (失败, the build or the standbys' replay failed: the reason is in error). A row left in loading or
-- building by a worker that died is taken again by the next worker that holds the build lock.
CREATE SEQUENCE submission_queue_seq START 1;

CREATE TABLE submission_queue (
    submission_id  BIGINT PRIMARY KEY,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    content        BYTEA,
    submitted_by   VARCHAR NOT NULL,
    kind           VARCHAR,
    rows_validated BIGINT NOT NULL,
    state          VARCHAR NOT NULL,
    queued_at      TIMESTAMP NOT NULL,
    started_at     TIMESTAMP,
    loaded_at      TIMESTAMP,
    visible_at     TIMESTAMP,
    finished_at    TIMESTAMP,
    batch_id       BIGINT,
    rows_loaded    BIGINT,
    attempts       INTEGER NOT NULL,
    error          VARCHAR,
    errors_id      VARCHAR
);

CREATE INDEX submission_queue_state ON submission_queue (state);
CREATE INDEX submission_queue_submitter ON submission_queue (submitted_by);
