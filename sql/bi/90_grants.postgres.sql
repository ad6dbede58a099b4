-- PostgreSQL only: the group role every BI login (budgetperf user add-bi) is a member of gets USAGE on bi and SELECT on
-- its views, nothing else; the role building the warehouse sees every department through bi (a bi_access row with
-- no department). Creating the group role needs CREATEROLE: without it the build goes on and add-bi says so.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budgetperf_bi') THEN
        BEGIN
            CREATE ROLE budgetperf_bi NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN
            RAISE NOTICE 'role budgetperf_bi not created: %', SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budgetperf_bi') THEN
        EXECUTE 'GRANT USAGE ON SCHEMA bi TO budgetperf_bi';
        EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA bi TO budgetperf_bi';
    END IF;
END
$$;
INSERT INTO bi_access (role_name, department_code, granted_by, granted_at)
SELECT current_user, NULL, current_user, now()
WHERE NOT EXISTS (SELECT 1 FROM bi_access WHERE role_name = current_user AND department_code IS NULL);
