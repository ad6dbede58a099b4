-- 预算安排模拟 (issue 17 item 2): a named what-if of the allocation rules, saved by a 领导 or 财政 user. A scenario
-- never changes the policy in force (policy_setting / policy_override / policy_current): it only feeds the
-- parameterised query sql/queries/what_if_allocation.sql. Percentages are of the amount concerned (negative = cut);
-- execution_min is a ratio like the policy's year_end_execution_min (0.8 = 80%). Deleting a scenario is a soft
-- delete (deleted_at), so the audit log's references stay meaningful.
CREATE SEQUENCE allocation_scenario_seq START 1;

CREATE TABLE allocation_scenario (
    scenario_id          BIGINT        NOT NULL DEFAULT nextval('allocation_scenario_seq') PRIMARY KEY,
    name                 VARCHAR       NOT NULL,
    owner                VARCHAR       NOT NULL,
    created_at           TIMESTAMP     NOT NULL,
    fiscal_year          INTEGER       NOT NULL,   -- the evaluated year whose grades drive next year's allocation
    supported_change_pct DECIMAL(18,4) NOT NULL,   -- 优先保障 (优/良) uplift, policy: 0
    mid_change_pct       DECIMAL(18,4) NOT NULL,   -- 从紧安排 (中), policy grade_mid_change_pct
    poor_change_pct      DECIMAL(18,4) NOT NULL,   -- 削减 (差), policy grade_poor_change_pct
    again_change_pct     DECIMAL(18,4) NOT NULL,   -- 整改未到位, policy mid_cut_again_change_pct
    execution_min        DECIMAL(18,4) NOT NULL,   -- 年末执行率 below it: 削减, policy year_end_execution_min
    recover_years        INTEGER       NOT NULL,   -- 结转 years for 收回, policy carryover_recover_years
    note                 VARCHAR,
    deleted_at           TIMESTAMP
);
