-- The bi schema is rebuilt from nothing after every model build: the marts under it are dropped and recreated by
-- the build (on PostgreSQL a dropped mart takes its bi views with it, CASCADE), so the views follow them here.
DROP SCHEMA IF EXISTS bi CASCADE;
CREATE SCHEMA bi;
