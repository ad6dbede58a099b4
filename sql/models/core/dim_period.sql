-- materialized: table
-- 监控期间 × 年度 for every fiscal year present in the submissions, with 序时进度 (schedule_rate):
-- last_month / 12 by default, or elapsed days / days in the year when policy_setting schedule_basis = day.
with periods as (
    select * from {{ ref('period') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

-- the fiscal years of every monitoring and self-evaluation form loaded (项目 and 部门整体, 纠偏, 调整): the years of the
-- current batches chosen once in stg_current_batch, instead of reading ten staging views (the monitoring indicators
-- alone are millions of rows at province scale) for a handful of years. A key with a NULL part never reaches a
-- staging model (its join to the current batch fails), so it is left out here too.
fiscal_years as (
    select distinct fiscal_year
    from {{ ref('stg_current_batch') }}
    where source_name in (
            'monitoring_fund', 'monitoring_indicator', 'selfeval_fund', 'selfeval_indicator', 'correction',
            'adjustment', 'dept_monitoring_fund', 'dept_monitoring_indicator', 'dept_selfeval_fund',
            'dept_selfeval_indicator')
        and fiscal_year is not null and period is not null and entity_code is not null and batch_id is not null
),

schedule_basis as (
    select coalesce(max(case when setting = 'schedule_basis' then lower(trim(value)) end), 'month') as basis
    from settings
),

year_periods as (
    select
        fiscal_years.fiscal_year,
        periods.period,
        periods.period_kind,
        periods.sort_order,
        periods.first_month,
        periods.last_month,
        periods.quarter,
        periods.last_month - periods.first_month + 1 as months,
        make_date(
            fiscal_years.fiscal_year + case when periods.last_month = 12 then 1 else 0 end,
            case when periods.last_month = 12 then 1 else periods.last_month + 1 end,
            1
        ) - make_date(fiscal_years.fiscal_year, 1, 1) as elapsed_days,
        make_date(fiscal_years.fiscal_year + 1, 1, 1) - make_date(fiscal_years.fiscal_year, 1, 1) as year_days
    from fiscal_years
    cross join periods
),

scheduled as (
    select
        year_periods.fiscal_year,
        year_periods.period,
        year_periods.period_kind,
        year_periods.sort_order,
        year_periods.first_month,
        year_periods.last_month,
        year_periods.months,
        year_periods.quarter,
        case
            when schedule_basis.basis = 'day'
                then cast(round(cast(cast(year_periods.elapsed_days as decimal(18,4)) / year_periods.year_days as decimal(18,8)), 4) as decimal(18,4))
            else cast(round(cast(cast(year_periods.last_month as decimal(18,4)) / 12 as decimal(18,8)), 4) as decimal(18,4))
        end as schedule_rate,
        schedule_basis.basis as schedule_basis
    from year_periods
    cross join schedule_basis
)

select * from scheduled
