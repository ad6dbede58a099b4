-- Parsed 指标值 (etl/Indicators/IndicatorValueParser): the loader fills these beside the raw texts of every
-- indicator table. target_comparator is ≥ / ≤ / = / 定性; target_value and target_unit are the number and its
-- normalised unit (% 万元 个 …); is_cumulative marks units that accumulate over the year (pro-rated by 序时进度);
-- period_target_value is the 期间指标值 number; actual_value (in the target's unit) or actual_band
-- (达成 / 部分达成 / 未达成) is the reported result, both NULL when it is 未填报.
ALTER TABLE raw_monitoring_indicator ADD COLUMN target_comparator VARCHAR;
ALTER TABLE raw_monitoring_indicator ADD COLUMN target_value DECIMAL(18,4);
ALTER TABLE raw_monitoring_indicator ADD COLUMN target_unit VARCHAR;
ALTER TABLE raw_monitoring_indicator ADD COLUMN is_cumulative BOOLEAN;
ALTER TABLE raw_monitoring_indicator ADD COLUMN is_qualitative BOOLEAN;
ALTER TABLE raw_monitoring_indicator ADD COLUMN period_target_value DECIMAL(18,4);
ALTER TABLE raw_monitoring_indicator ADD COLUMN actual_value DECIMAL(18,4);
ALTER TABLE raw_monitoring_indicator ADD COLUMN actual_band VARCHAR;

ALTER TABLE raw_selfeval_indicator ADD COLUMN target_comparator VARCHAR;
ALTER TABLE raw_selfeval_indicator ADD COLUMN target_value DECIMAL(18,4);
ALTER TABLE raw_selfeval_indicator ADD COLUMN target_unit VARCHAR;
ALTER TABLE raw_selfeval_indicator ADD COLUMN is_cumulative BOOLEAN;
ALTER TABLE raw_selfeval_indicator ADD COLUMN is_qualitative BOOLEAN;
ALTER TABLE raw_selfeval_indicator ADD COLUMN period_target_value DECIMAL(18,4);
ALTER TABLE raw_selfeval_indicator ADD COLUMN actual_value DECIMAL(18,4);
ALTER TABLE raw_selfeval_indicator ADD COLUMN actual_band VARCHAR;

ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN target_comparator VARCHAR;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN target_value DECIMAL(18,4);
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN target_unit VARCHAR;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN is_cumulative BOOLEAN;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN is_qualitative BOOLEAN;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN period_target_value DECIMAL(18,4);
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN actual_value DECIMAL(18,4);
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN actual_band VARCHAR;

ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN target_comparator VARCHAR;
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN target_value DECIMAL(18,4);
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN target_unit VARCHAR;
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN is_cumulative BOOLEAN;
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN is_qualitative BOOLEAN;
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN period_target_value DECIMAL(18,4);
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN actual_value DECIMAL(18,4);
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN actual_band VARCHAR;
