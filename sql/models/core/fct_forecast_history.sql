-- materialized: table
-- 年末执行预测的历史 (issue 17 item 3): per forecast year, mid-year period and department, how the department's earlier
-- years' mid-year rates became year-end rates (fct_execution_pairs, only years before target_year):
--   department_ratio   Σ(actual − current) ÷ Σ(promised − current): the share of what it still promised at the
--                      period that it delivered by year end (NULL when it promised nothing)
--   all_ratio          the same over every department
--   department_weight  n ÷ (n + forecast_shrinkage), n = the department's project-years (department_pairs); 0 when
--                      n < forecast_min_history: the department then takes all departments' ratio
--   delivery_ratio     department_weight × department_ratio + (1 − department_weight) × all_ratio
--   residual_low/high  the 10th / 90th percentile of actual − min(1, max(current, current + delivery_ratio ×
--                      (promised − current))) over the department's project-years (interval_source 'department'),
--                      or over every department's (each with its own ratio) when it has fewer than
--                      forecast_interval_min_history ('all_departments')
with pairs as (
    select * from {{ ref('fct_execution_pairs') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

policy as (
    select
        cast(max(case when setting = 'forecast_shrinkage' then value end) as decimal(18,4)) as shrinkage,
        cast(max(case when setting = 'forecast_min_history' then value end) as integer) as min_history,
        cast(max(case when setting = 'forecast_interval_min_history' then value end) as integer) as interval_min_history
    from settings
),

targets as (
    select distinct fiscal_year, period from pairs
),

history as (
    select targets.fiscal_year as target_year, pairs.*
    from targets
    inner join pairs
        on pairs.period = targets.period
        and pairs.fiscal_year < targets.fiscal_year
    where pairs.actual_rate is not null
),

department_sums as (
    select
        target_year, period, department_code,
        count(*) as department_pairs,
        sum(actual_rate - current_rate) as delivered,
        sum(promised_rate - current_rate) as still_promised
    from history
    group by target_year, period, department_code
),

all_sums as (
    select
        target_year, period,
        count(*) as all_pairs,
        min(fiscal_year) as first_history_year,
        max(fiscal_year) as last_history_year,
        sum(actual_rate - current_rate) as delivered,
        sum(promised_rate - current_rate) as still_promised
    from history
    group by target_year, period
),

ratios as (
    select
        department_sums.target_year,
        department_sums.period,
        department_sums.department_code,
        department_sums.department_pairs,
        all_sums.all_pairs,
        all_sums.first_history_year,
        all_sums.last_history_year,
        case when department_sums.still_promised > 0.0001
            then cast(round(cast(department_sums.delivered / department_sums.still_promised as decimal(18,8)), 4) as decimal(18,4))
        end as department_ratio,
        case when all_sums.still_promised > 0.0001
            then cast(round(cast(all_sums.delivered / all_sums.still_promised as decimal(18,8)), 4) as decimal(18,4))
            else cast(1 as decimal(18,4))
        end as all_ratio
    from department_sums
    inner join all_sums
        on department_sums.target_year = all_sums.target_year
        and department_sums.period = all_sums.period
),

weighted as (
    select
        ratios.*,
        case
            when ratios.department_ratio is not null and ratios.department_pairs >= policy.min_history
                then cast(round(cast(ratios.department_pairs / (ratios.department_pairs + policy.shrinkage) as decimal(18,8)), 4) as decimal(18,4))
            else cast(0 as decimal(18,4))
        end as department_weight,
        policy.interval_min_history
    from ratios
    cross join policy
),

delivery as (
    select
        weighted.*,
        cast(round(cast(department_weight * coalesce(department_ratio, 0)
            + (1 - department_weight) * all_ratio as decimal(18,8)), 4) as decimal(18,4)) as delivery_ratio
    from weighted
),

residuals as (
    select
        history.target_year,
        history.period,
        history.department_code,
        cast(history.actual_rate - least(cast(1 as decimal(18,4)), greatest(history.current_rate,
            history.current_rate + delivery.delivery_ratio * (history.promised_rate - history.current_rate)))
            as decimal(18,8)) as residual
    from history
    inner join delivery
        on history.target_year = delivery.target_year
        and history.period = delivery.period
        and history.department_code = delivery.department_code
),

department_spread as (
    select
        target_year, period, department_code,
        percentile_cont(0.1) within group (order by residual) as residual_low,
        percentile_cont(0.9) within group (order by residual) as residual_high
    from residuals
    group by target_year, period, department_code
),

all_spread as (
    select
        target_year, period,
        percentile_cont(0.1) within group (order by residual) as residual_low,
        percentile_cont(0.9) within group (order by residual) as residual_high
    from residuals
    group by target_year, period
),

forecast_history as (
    select
        delivery.target_year,
        delivery.period,
        delivery.department_code,
        delivery.department_pairs,
        delivery.all_pairs,
        delivery.first_history_year,
        delivery.last_history_year,
        delivery.department_ratio,
        delivery.all_ratio,
        delivery.department_weight,
        delivery.delivery_ratio,
        case when delivery.department_pairs >= delivery.interval_min_history then 'department' else 'all_departments' end
            as interval_source,
        cast(round(cast(case when delivery.department_pairs >= delivery.interval_min_history
            then department_spread.residual_low else all_spread.residual_low end as decimal(18,8)), 4) as decimal(18,4))
            as residual_low,
        cast(round(cast(case when delivery.department_pairs >= delivery.interval_min_history
            then department_spread.residual_high else all_spread.residual_high end as decimal(18,8)), 4) as decimal(18,4))
            as residual_high,
        cast(round(cast(all_spread.residual_low as decimal(18,8)), 4) as decimal(18,4)) as all_residual_low,
        cast(round(cast(all_spread.residual_high as decimal(18,8)), 4) as decimal(18,4)) as all_residual_high
    from delivery
    inner join department_spread
        on delivery.target_year = department_spread.target_year
        and delivery.period = department_spread.period
        and delivery.department_code = department_spread.department_code
    inner join all_spread
        on delivery.target_year = all_spread.target_year
        and delivery.period = all_spread.period
)

select * from forecast_history
