-- 年末执行预测: one row per (fiscal_year, period, project_code), and the interval holds the forecast, which lies
-- between the current rate (capped at 1) and the whole budget.
with forecast as (
    select * from {{ ref('mart_execution_forecast') }}
),

duplicated as (
    select fiscal_year, period, project_code, 'duplicate row' as problem
    from forecast
    group by fiscal_year, period, project_code
    having count(*) > 1
),

outside as (
    select fiscal_year, period, project_code, 'forecast outside its interval or [current, 1]' as problem
    from forecast
    where forecast_rate < forecast_low
        or forecast_rate > forecast_high
        or (current_rate < 1 and (forecast_rate < current_rate or forecast_rate > 1))
        or forecast_low < least(current_rate, 1)
),

failures as (
    select * from duplicated
    union all
    select * from outside
)

select * from failures
