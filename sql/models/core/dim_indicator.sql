-- materialized: table
-- 绩效指标: every (一级, 二级, 三级) indicator named in any submission, with its heatmap category.
-- indicator_key = level1|level2|level3. The category comes from the indicator_category seed:
-- an exact (level1, level2) row first, then ('*', level2), then (level1, '*'); NULL when none matches.
with categories as (
    select * from {{ ref('indicator_category') }}
),

-- the monitored projects' indicators as fct_indicator_judgement holds them (one row per row of
-- stg_monitoring_indicator, a table: the staging view would join millions of raw rows to their current batch again)
-- grouped here, before the union below (issue 15): PostgreSQL then aggregates the ≈3·10⁶ rows in parallel workers
-- (a partial aggregate per worker, 188 names each) instead of appending them all to the union's one aggregate
monitoring_indicators as (
    select level1, level2, level3 from {{ ref('fct_indicator_judgement') }}
    where entity_kind = 'project'
    group by level1, level2, level3
),

selfeval_indicators as (
    select * from {{ ref('stg_selfeval_indicator') }}
),

corrections as (
    select * from {{ ref('stg_correction') }}
),

adjustments as (
    select * from {{ ref('stg_adjustment') }}
),

dept_monitoring_indicators as (
    select * from {{ ref('stg_dept_monitoring_indicator') }}
),

dept_selfeval_indicators as (
    select * from {{ ref('stg_dept_selfeval_indicator') }}
),

named as (
    select level1, level2, level3 from monitoring_indicators
    union
    select level1, level2, level3 from selfeval_indicators
    union
    select level1, level2, level3 from corrections
    union
    select level1, level2, level3 from adjustments
    where level1 is not null and level2 is not null and level3 is not null
    union
    select level1, level2, level3 from dept_monitoring_indicators
    union
    select level1, level2, level3 from dept_selfeval_indicators
),

categorised as (
    select
        named.level1 || '|' || named.level2 || '|' || named.level3 as indicator_key,
        named.level1,
        named.level2,
        named.level3,
        coalesce(exact.category, by_level2.category, by_level1.category) as category,
        coalesce(exact.category_order, by_level2.category_order, by_level1.category_order) as category_order
    from named
    left join categories as exact
        on named.level1 = exact.level1
        and named.level2 = exact.level2
    left join categories as by_level2
        on by_level2.level1 = '*'
        and named.level2 = by_level2.level2
    left join categories as by_level1
        on by_level1.level2 = '*'
        and named.level1 = by_level1.level1
)

select * from categorised
