-- materialized: table
-- PostgreSQL's variant of dim_indicator.sql (the same rows): monitoring_indicators read by a skip scan, each source grouped.
-- 绩效指标: every (一级, 二级, 三级) indicator named in any submission, with its heatmap category.
-- indicator_key = level1|level2|level3. The category comes from the indicator_category seed:
-- an exact (level1, level2) row first, then ('*', level2), then (level1, '*'); NULL when none matches.
with recursive categories as (
    select * from {{ ref('indicator_category') }}
),

-- the monitored projects' indicators as fct_indicator_judgement holds them (one row per row of
-- stg_monitoring_indicator). PostgreSQL (issue 15, the incremental pass): the distinct names are read by a skip scan of
-- fct_indicator_judgement's index (entity_kind, level1, level2, level3) — the first name, then from each name the
-- next greater one, one index descent each (province: 162 names, 2.6 ms) — where the group by read all ≈3·10⁶ rows in
-- parallel workers (1.3–1.5 s wall, about three times that in CPU) in every pass whose upload changed that table.
-- The names are never NULL (trim() of raw_monitoring_indicator's NOT NULL columns), which the row comparison needs.
-- DuckDB has no such index and groups the rows (dim_indicator.sql).
monitoring_indicators (level1, level2, level3) as (
    (
        select level1, level2, level3 from {{ ref('fct_indicator_judgement') }}
        where entity_kind = 'project'
        order by level1, level2, level3
        limit 1
    )
    union all
    select following.level1, following.level2, following.level3
    from monitoring_indicators as previous
    cross join lateral (
        select judgement.level1, judgement.level2, judgement.level3
        from {{ ref('fct_indicator_judgement') }} as judgement
        where judgement.entity_kind = 'project'
            and (judgement.level1, judgement.level2, judgement.level3) > (previous.level1, previous.level2, previous.level3)
        order by judgement.level1, judgement.level2, judgement.level3
        limit 1
    ) as following
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

-- each source's names grouped before the union (issue 15): the union's one sort of every row (≈256k at province scale,
-- 0.4 s) becomes a hash aggregate per source and a union of a few hundred names
named as (
    select level1, level2, level3 from monitoring_indicators
    union
    select level1, level2, level3 from selfeval_indicators group by level1, level2, level3
    union
    select level1, level2, level3 from corrections group by level1, level2, level3
    union
    select level1, level2, level3 from adjustments
    where level1 is not null and level2 is not null and level3 is not null
    group by level1, level2, level3
    union
    select level1, level2, level3 from dept_monitoring_indicators group by level1, level2, level3
    union
    select level1, level2, level3 from dept_selfeval_indicators group by level1, level2, level3
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
