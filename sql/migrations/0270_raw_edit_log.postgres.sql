-- Issue 15 (PostgreSQL, the incremental pass's fixed costs): which raw landing tables were written since the last whole
-- build, told by the tables themselves. Before, every build took a signature of every raw table (COUNT(*), SUM(batch_id)),
-- to catch rows deleted or added by hand, outside a batch: at province scale a parallel index-only scan of
-- raw_monitoring_indicator's 2,930,337 rows alone, about 0.36 s wall and three times that in CPU, every pass.
-- A statement-level trigger on each raw table appends one row here per INSERT, UPDATE, DELETE, TRUNCATE or COPY (a
-- load's COPY as much as an edit by hand; a rolled-back statement leaves none). The change tracker
-- (warehouse/Models/ChangeTracker.RawEdits.cs) reads these rows at the start of a whole build and deletes the rows it
-- read in the build's commit: a table named here and holding rows of no changed batch was edited by hand. A raw table
-- without this trigger is still signed by its scan. PostgreSQL only: DuckDB has no triggers, and its column scan of
-- batch_id is cheap.
CREATE TABLE IF NOT EXISTS runner_raw_edit (
    edit_id    BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL,
    operation  TEXT NOT NULL,
    edited_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE OR REPLACE FUNCTION runner_raw_edit_log() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN INSERT INTO runner_raw_edit (table_name, operation) VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$;

CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_project
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_monitoring_fund
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_monitoring_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_selfeval_fund
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_selfeval_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_correction
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_adjustment
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_dept_monitoring_fund
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_dept_monitoring_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_dept_selfeval_fund
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_dept_selfeval_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_declaration_fund
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_declaration_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_dept_declaration_fund
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
CREATE OR REPLACE TRIGGER runner_raw_edit AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON raw_dept_declaration_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION runner_raw_edit_log();
