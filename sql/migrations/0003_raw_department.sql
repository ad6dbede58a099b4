-- Department-level (部门整体) landing tables: 表1-2 监控 and 表1-3-2 自评.
-- The same columns as the project tables, keyed by department_code; first-level indicators
-- are 决策 / 过程 / 履职 / 效益 / 满意度.

CREATE TABLE raw_dept_monitoring_fund (
    batch_id           BIGINT NOT NULL,
    source_row         INTEGER NOT NULL,
    fiscal_year        INTEGER NOT NULL,
    period             VARCHAR NOT NULL,
    department_code    VARCHAR NOT NULL,
    department_name    VARCHAR,
    fund_line          VARCHAR NOT NULL,
    initial_budget     DECIMAL(18,4) NOT NULL,
    adjusted_budget    DECIMAL(18,4),
    planned_execution  DECIMAL(18,4),
    executed           DECIMAL(18,4) NOT NULL,
    forecast_execution DECIMAL(18,4),
    carryover_years    INTEGER
);

CREATE TABLE raw_dept_monitoring_indicator (
    batch_id         BIGINT NOT NULL,
    source_row       INTEGER NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    period           VARCHAR NOT NULL,
    department_code  VARCHAR NOT NULL,
    level1           VARCHAR NOT NULL,
    level2           VARCHAR NOT NULL,
    level3           VARCHAR NOT NULL,
    comparator       VARCHAR,
    annual_target    VARCHAR NOT NULL,
    unit             VARCHAR,
    period_target    VARCHAR,
    period_actual    VARCHAR,
    forecast_actual  VARCHAR,
    deviation_causes VARCHAR,
    cause_note       VARCHAR,
    improvement      VARCHAR,
    possibility      VARCHAR,
    remark           VARCHAR
);

CREATE TABLE raw_dept_selfeval_fund (
    batch_id        BIGINT NOT NULL,
    source_row      INTEGER NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    department_code VARCHAR NOT NULL,
    department_name VARCHAR,
    fund_line       VARCHAR NOT NULL,
    initial_budget  DECIMAL(18,4),
    annual_budget   DECIMAL(18,4) NOT NULL,
    annual_executed DECIMAL(18,4) NOT NULL,
    weight          DECIMAL(18,4),
    published_score DECIMAL(18,4)
);

CREATE TABLE raw_dept_selfeval_indicator (
    batch_id        BIGINT NOT NULL,
    source_row      INTEGER NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    department_code VARCHAR NOT NULL,
    level1          VARCHAR NOT NULL,
    level2          VARCHAR NOT NULL,
    level3          VARCHAR NOT NULL,
    comparator      VARCHAR,
    annual_target   VARCHAR NOT NULL,
    unit            VARCHAR,
    actual          VARCHAR,
    weight          DECIMAL(18,4) NOT NULL,
    published_score DECIMAL(18,4),
    deviation_note  VARCHAR
);
