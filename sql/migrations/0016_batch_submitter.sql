-- Who offered each file: the signed-in user's name for dashboard uploads (issue 6), NULL for the command line
-- and for batches loaded before this migration.
ALTER TABLE etl_batch ADD COLUMN submitted_by VARCHAR;
