-- Who may sign in, and what they may see: one app_user row per person. roles is a comma list of
-- 领导 / 财政 / 分析 / 部门 / 管理员; departments a comma list of department codes (the scope of a 部门 user).
-- password_hash is ASP.NET Core's PasswordHasher output, never the password.
CREATE TABLE app_user (
    user_name       VARCHAR PRIMARY KEY,
    display_name    VARCHAR NOT NULL,
    password_hash   VARCHAR NOT NULL,
    roles           VARCHAR NOT NULL,
    departments     VARCHAR NOT NULL DEFAULT '',
    is_disabled     BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);

-- Who did what, when: sign-ins, uploads, exports and user changes. user_name is the actor; detail names the
-- object (the user changed, the file, the view and filters). (Not "at": DuckDB reserves it.)
CREATE TABLE audit_log (
    logged_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,   -- 'user.add' | 'user.disable' | 'user.reset-password' | 'sign-in' | 'upload' | 'export'
    detail    VARCHAR,
    outcome   VARCHAR NOT NULL    -- 'ok' | 'refused' | 'failed'
);
