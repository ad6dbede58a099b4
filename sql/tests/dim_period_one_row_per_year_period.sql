-- dim_period holds one row per (fiscal_year, period), each with a 序时进度 in (0, 1].
with periods as (
    select * from {{ ref('dim_period') }}
),

duplicated as (
    select fiscal_year, period, 'duplicate' as problem
    from periods
    group by fiscal_year, period
    having count(*) > 1
),

out_of_range as (
    select fiscal_year, period, 'schedule_rate outside (0, 1]' as problem
    from periods
    where schedule_rate <= 0 or schedule_rate > 1
),

violations as (
    select * from duplicated
    union all
    select * from out_of_range
)

select * from violations
