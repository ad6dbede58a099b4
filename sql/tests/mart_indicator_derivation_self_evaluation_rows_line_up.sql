-- mart_indicator_derivation's 自评 rows are exactly fct_self_evaluation's indicators that were never monitored that year,
-- each with its own codes, band and scoring rule. The 自评 branch is joined to the 监控 branch by position (UNION ALL),
-- so a column out of place there would pass every test of the two tables the view's column tests are declared on
-- (models/marts/schema.yml); this test reads the view's 自评 branch only (stage is a literal of each branch, so the
-- engines leave the 2.9M 监控 rows out) and compares it with the table, both ways.
with unmonitored as (
    select
        scored.fiscal_year,
        scored.project_code,
        scored.department_code,
        scored.indicator_key,
        scored.level1,
        scored.level2,
        scored.level3,
        scored.actual_band,
        scored.weight,
        scored.rule as score_rule_code
    from {{ ref('fct_self_evaluation') }} as scored
    where not exists (
        select 1 from {{ ref('fct_indicator_light') }} as monitored
        where monitored.fiscal_year = scored.fiscal_year
            and monitored.project_code = scored.project_code
            and monitored.level1 = scored.level1
            and monitored.level2 = scored.level2
            and monitored.level3 = scored.level3
    )
),

shown as (
    select
        fiscal_year,
        project_code,
        department_code,
        indicator_key,
        level1,
        level2,
        level3,
        actual_band,
        weight,
        score_rule_code
    from {{ ref('mart_indicator_derivation') }}
    where stage = '自评'
),

missing as (
    select * from unmonitored
    except all
    select * from shown
),

extra as (
    select * from shown
    except all
    select * from unmonitored
)

select '自评行缺失' as problem, missing.* from missing
union all
select '自评行多出' as problem, extra.* from extra
