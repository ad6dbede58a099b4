-- 部门整体申报 (常纺院 预算绩效管理办法 表1-1 整体预算绩效目标申报表): what a department declared when its budget was
-- set — 全年预算数 and 半年计划执行数 per line of 部门整体资金 (资金总额, 校内预算 小计 / 基本支出 / 项目支出 …, 财政资金,
-- 其他资金), the 年度目标 text, each indicator's 半年 / 全年 指标值 (履职 with its 重点工作 / 对应项目). A 表1-2 without a
-- 预算数 takes the declared one (mart_department_ranking); a target changed from the declared one is listed in
-- fct_department_target_change.
CREATE TABLE raw_dept_declaration_fund (
    batch_id          BIGINT NOT NULL,
    source_row        INTEGER NOT NULL,
    fiscal_year       INTEGER NOT NULL,
    department_code   VARCHAR NOT NULL,
    department_name   VARCHAR,
    fund_line         VARCHAR NOT NULL,
    planned_execution DECIMAL(18,4),
    annual_budget     DECIMAL(18,4) NOT NULL,
    annual_goal       VARCHAR
);

CREATE TABLE raw_dept_declaration_indicator (
    batch_id        BIGINT NOT NULL,
    source_row      INTEGER NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    department_code VARCHAR NOT NULL,
    level1          VARCHAR NOT NULL,
    level2          VARCHAR NOT NULL,
    level3          VARCHAR NOT NULL,
    period_target   VARCHAR,
    annual_target   VARCHAR NOT NULL,
    key_work        VARCHAR,
    related_project VARCHAR
);
