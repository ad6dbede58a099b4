-- mart_indicator_derivation holds one row per (fiscal_year, period, project_code, level1, level2, level3), and a
-- monitored indicator carries the score of at most one self-evaluated indicator.
with derivation as (
    select * from {{ ref('mart_indicator_derivation') }}
),

duplicated as (
    select
        fiscal_year,
        period,
        project_code,
        level1,
        level2,
        level3,
        count(*) as row_count
    from derivation
    group by fiscal_year, period, project_code, level1, level2, level3
    having count(*) > 1
)

select * from duplicated
