-- Landing tables: one per submission family (spec/submissions.md). Every batch is kept;
-- staging picks the latest batch per key. Amounts are 万元.

-- 项目信息
CREATE TABLE raw_project (
    batch_id          BIGINT NOT NULL,
    source_row        INTEGER NOT NULL,
    project_code      VARCHAR NOT NULL,
    project_name      VARCHAR NOT NULL,
    department_code   VARCHAR NOT NULL,
    department_name   VARCHAR NOT NULL,
    implementing_unit VARCHAR,
    project_type      VARCHAR,
    project_level     VARCHAR,
    fund_nature       VARCHAR,
    start_date        VARCHAR,
    end_date          VARCHAR,
    is_key            VARCHAR,
    annual_goal       VARCHAR
);

-- 监控资金 (附件1 upper block)
CREATE TABLE raw_monitoring_fund (
    batch_id           BIGINT NOT NULL,
    source_row         INTEGER NOT NULL,
    fiscal_year        INTEGER NOT NULL,
    period             VARCHAR NOT NULL,
    project_code       VARCHAR NOT NULL,
    project_name       VARCHAR,
    department_code    VARCHAR,
    department_name    VARCHAR,
    implementing_unit  VARCHAR,
    fund_line          VARCHAR NOT NULL,
    initial_budget     DECIMAL(18,4) NOT NULL,
    adjusted_budget    DECIMAL(18,4),
    planned_execution  DECIMAL(18,4),
    executed           DECIMAL(18,4) NOT NULL,
    forecast_execution DECIMAL(18,4),
    carryover_years    INTEGER
);

-- 监控指标 (附件1 lower block)
CREATE TABLE raw_monitoring_indicator (
    batch_id         BIGINT NOT NULL,
    source_row       INTEGER NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    period           VARCHAR NOT NULL,
    project_code     VARCHAR NOT NULL,
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

-- 自评资金 (表2-3-2 upper block)
CREATE TABLE raw_selfeval_fund (
    batch_id        BIGINT NOT NULL,
    source_row      INTEGER NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    project_code    VARCHAR NOT NULL,
    project_name    VARCHAR,
    department_code VARCHAR,
    department_name VARCHAR,
    fund_line       VARCHAR NOT NULL,
    initial_budget  DECIMAL(18,4),
    annual_budget   DECIMAL(18,4) NOT NULL,
    annual_executed DECIMAL(18,4) NOT NULL,
    weight          DECIMAL(18,4),
    published_score DECIMAL(18,4)
);

-- 自评指标 (表2-3-2 lower block)
CREATE TABLE raw_selfeval_indicator (
    batch_id        BIGINT NOT NULL,
    source_row      INTEGER NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    project_code    VARCHAR NOT NULL,
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

-- 纠偏 (附件2)
CREATE TABLE raw_correction (
    batch_id       BIGINT NOT NULL,
    source_row     INTEGER NOT NULL,
    fiscal_year    INTEGER NOT NULL,
    quarter        VARCHAR NOT NULL,
    project_code   VARCHAR NOT NULL,
    level1         VARCHAR NOT NULL,
    level2         VARCHAR NOT NULL,
    level3         VARCHAR NOT NULL,
    final_target   VARCHAR,
    quarter_target VARCHAR,
    actual         VARCHAR,
    deviation      VARCHAR,
    problems       VARCHAR,
    measures       VARCHAR
);

-- 调整 (附件3)
CREATE TABLE raw_adjustment (
    batch_id        BIGINT NOT NULL,
    source_row      INTEGER NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    project_code    VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    original_amount DECIMAL(18,4),
    adjusted_amount DECIMAL(18,4),
    level1          VARCHAR,
    level2          VARCHAR,
    level3          VARCHAR,
    original_target VARCHAR,
    adjusted_target VARCHAR,
    explanation     VARCHAR
);
