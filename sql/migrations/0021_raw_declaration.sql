-- 申报 (常纺院 预算绩效管理办法 表2-1 项目预算绩效目标申报表): what a project declared when its budget was set —
-- the 全年预算数 and 半年计划执行数 per fund line, each indicator's 半年 / 全年 指标值. A monitoring form without a
-- 预算数 (表2-2) takes the declared one; a target changed without an 调整表 is flagged (fct_target_change).
CREATE TABLE raw_declaration_fund (
    batch_id          BIGINT NOT NULL,
    source_row        INTEGER NOT NULL,
    fiscal_year       INTEGER NOT NULL,
    project_code      VARCHAR NOT NULL,
    project_name      VARCHAR,
    department_code   VARCHAR,
    department_name   VARCHAR,
    fund_line         VARCHAR NOT NULL,
    planned_execution DECIMAL(18,4),
    annual_budget     DECIMAL(18,4) NOT NULL
);

CREATE TABLE raw_declaration_indicator (
    batch_id      BIGINT NOT NULL,
    source_row    INTEGER NOT NULL,
    fiscal_year   INTEGER NOT NULL,
    project_code  VARCHAR NOT NULL,
    level1        VARCHAR NOT NULL,
    level2        VARCHAR NOT NULL,
    level3        VARCHAR NOT NULL,
    period_target VARCHAR,
    annual_target VARCHAR NOT NULL
);
