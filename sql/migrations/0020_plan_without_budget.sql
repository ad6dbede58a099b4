-- 表2-2 / 表1-2 (常纺院 预算绩效管理办法) print no 预算数, only 半年计划执行数 and 半年实际执行数: a monitoring fund
-- line may come without 年初预算数 when it has 期间计划执行数 (execution is then judged against the plan,
-- sql/models/core/fct_budget_execution.sql; docs in sql/models/core/README.forms.md).
ALTER TABLE raw_monitoring_fund ALTER COLUMN initial_budget DROP NOT NULL;
ALTER TABLE raw_dept_monitoring_fund ALTER COLUMN initial_budget DROP NOT NULL;
