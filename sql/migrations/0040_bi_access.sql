-- BI 只读登录 (issue 18): the departments a read-only login made by `budgetperf user add-bi` may see in the bi schema.
-- One row per (login, department); department_code NULL = every department. On PostgreSQL every bi view keeps only
-- the rows whose department has a row here for current_user (a login with no row sees nothing), so the table is the
-- row-level security of the bi schema; the BI logins themselves have no privilege on it.
CREATE TABLE bi_access (
    role_name       VARCHAR   NOT NULL,
    department_code VARCHAR,
    granted_by      VARCHAR   NOT NULL,
    granted_at      TIMESTAMP NOT NULL
);
