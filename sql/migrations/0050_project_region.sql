-- 行政区划 (issue 14): the project master carries its department's 6-digit 区划代码 and the names of its
-- 省 / 市 / 县 levels (GB/T 2260: 省 = the first 2 digits + 0000, 市 = the first 4 + 00, 县 = all 6).
ALTER TABLE raw_project ADD COLUMN region_code VARCHAR;
ALTER TABLE raw_project ADD COLUMN province_name VARCHAR;
ALTER TABLE raw_project ADD COLUMN city_name VARCHAR;
ALTER TABLE raw_project ADD COLUMN county_name VARCHAR;
