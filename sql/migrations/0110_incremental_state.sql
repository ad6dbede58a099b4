-- Issue 15 item 1, incremental models (增量模型): the runner's record of what its incremental models hold.
-- runner_built_batch: the loaded batches (etl_batch) the incremental models were last built from — the watermark.
-- A batch loaded since (not in here) or no longer loaded (in here, status changed) touches its (年度, 期间, 部门)
-- slices, which the next build deletes and recomputes (model build_slice).
CREATE TABLE runner_built_batch (
    batch_id BIGINT PRIMARY KEY,
    built_at TIMESTAMP NOT NULL,
    run_id   VARCHAR NOT NULL
);

-- One row per incremental model: the fingerprint of everything it is computed from besides the batches (its SQL and
-- its ancestors', the seeds it reads, the policy in force: policy_current = policy_setting + policy_override).
-- A different fingerprint on the next build marks the model stale: it is recomputed in full.
CREATE TABLE runner_model_state (
    model_name  VARCHAR PRIMARY KEY,
    fingerprint VARCHAR(64) NOT NULL,
    built_at    TIMESTAMP NOT NULL,
    run_id      VARCHAR NOT NULL
);

-- The batches this build found changed against runner_built_batch (loaded since, or no longer loaded), written by the
-- runner at the start of a build and analysed, so build_slice reads a small table the planner can estimate.
CREATE TABLE runner_changed_batch (
    batch_id BIGINT PRIMARY KEY
);
