-- 政策参数 changed by a 管理员 in the dashboard (issue 6): an append-only history over the policy_setting seed.
-- The latest row per setting is in force (model policy_current); the seed file keeps the shipped defaults.
CREATE TABLE policy_override (
    setting    VARCHAR   NOT NULL,
    value      VARCHAR   NOT NULL,
    changed_by VARCHAR   NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    reason     VARCHAR
);
