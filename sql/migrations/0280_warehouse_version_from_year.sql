-- Issue 15 (readers under a burst): which 年度 a change can show in. A build that only took slices of years ≥ S records
-- S: every model's rows of a year Y depend on the rows of years ≤ Y only (上年 comparisons read Y − 1, the year-end
-- forecasts learn from every earlier year), so what a reader asks of years before S is as it was, and the dashboard's
-- result cache keeps it (WarehouseVersion.ScopeOf). NULL — every row before this migration, every write outside a build,
-- a full or stale rebuild, a change to a relation without a 年度 (dim_project, dim_department …) — can change any year.
ALTER TABLE warehouse_version ADD COLUMN from_year INTEGER;
