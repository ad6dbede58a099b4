-- Issue 15 (deferred data tests under steady uploads): one row per recording of the submission worker's deferred data
-- tests, appended in the same transaction as the test results it records (append-only: a row is written while builds
-- commit alongside, and concurrent writers never update one row). complete = false: the run was stopped, or builds
-- committed while it ran changed models it did not test, so models are left untested. A restarted worker trusts "the last
-- build was tested" (run_results) only when the latest row here is complete; otherwise it tests every model.
CREATE TABLE runner_deferred_tests (
    run_id      VARCHAR NOT NULL,   -- the latest build the recorded tests' snapshots saw
    models      INTEGER NOT NULL,   -- models whose tests all finished in this recording
    complete    BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
