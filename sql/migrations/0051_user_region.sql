-- A user scoped to a 行政区划 (issue 14): a county's 财政局 sees its county. region_code is the 6-digit 区划代码 of
-- a 省, 市 or 县 (NULL: the user's roles and departments alone decide, as before).
ALTER TABLE app_user ADD COLUMN region_code VARCHAR;
