-- materialized: table
-- 偏差热力图: department × indicator category per (fiscal_year, period), over the projects' monitoring indicators.
--   indicator_count    indicators submitted (reported_count: those not 未填报)
--   mean_shortfall     mean of fct_indicator_progress.shortfall over the reported ones (0 = on track, 1 = nothing done)
--   red_count          indicators lit red (possibility overrides included)
with indicator_progress as (
    select * from {{ ref('fct_indicator_progress') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

cells as (
    select
        fiscal_year,
        period,
        department_code,
        category as indicator_category,
        count(*) as indicator_count,
        count(shortfall) as reported_count,
        sum(shortfall) as shortfall_sum,
        count(case when light = 'red' then 1 end) as red_count,
        count(case when light = 'yellow' then 1 end) as yellow_count
    from indicator_progress
    where category is not null
    group by fiscal_year, period, department_code, category
),

heatmap as (
    select
        cells.fiscal_year,
        cells.period,
        cells.department_code,
        departments.department_name,
        cells.indicator_category,
        cells.indicator_count,
        cells.reported_count,
        case
            when cells.reported_count > 0
                then cast(round(cast(cells.shortfall_sum / cells.reported_count as decimal(18,8)), 4) as decimal(18,4))
        end as mean_shortfall,
        cells.red_count,
        cells.yellow_count
    from cells
    left join departments on cells.department_code = departments.department_code
)

select * from heatmap
