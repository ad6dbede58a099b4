-- materialized: incremental
-- unique_key: fiscal_year, period, project_code
-- delete_where: {{ this }}.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
-- full_refresh_when_changed: fct_forecast_history
-- 年末执行预测 (issue 17 item 3): per project at each mid-year monitoring period, the year-end 执行率 forecast with an
-- 80% interval, from the current rate, the form's 全年预计执行数 and the department's own history
-- (fct_execution_pairs → fct_forecast_history; only years before fiscal_year count, so an earlier year's row is what
-- would have been forecast at its mid-year, and `budgetperf bench forecast` back-tests on those rows):
--   forecast_rate   current + delivery_ratio × (promised − current), kept within [current, 1]
--   forecast_low/high  forecast + the residual percentiles, kept within [current, 1] and around the forecast
--   method          'department' (its own ratio, shrunk towards all departments'), 'all_departments' (too few
--                   project-years of its own: all departments' ratio), 'no_history' (no earlier year at all: the
--                   promised rate as it is — the stated rate, or the whole budget when blank; no interval)
-- 增量 (issue 15): a project's rows read its own pairs and the departments' history of earlier years: recomputed for
-- every year of the projects in build_slice, and in full when the history changed
{% if is_incremental() %}
-- 增量: the touched projects' pairs picked by their code, then read by row id
with pairs as (
    {% by_row_id('fct_execution_pairs') %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endby_row_id %}
),
{% else %}
with pairs as (
    select * from {{ ref('fct_execution_pairs') }}
),
{% endif %}

history as (
    select * from {{ ref('fct_forecast_history') }}
),

all_history as (
    select
        target_year, period,
        max(all_pairs) as all_pairs,
        max(first_history_year) as first_history_year,
        max(last_history_year) as last_history_year,
        max(all_ratio) as all_ratio,
        max(all_residual_low) as all_residual_low,
        max(all_residual_high) as all_residual_high
    from history
    group by target_year, period
),

inputs as (
    select
        pairs.*,
        case
            when history.department_weight > 0 then 'department'
            when all_history.all_ratio is not null then 'all_departments'
            else 'no_history'
        end as method,
        coalesce(history.department_pairs, 0) as department_pairs,
        coalesce(all_history.all_pairs, 0) as all_pairs,
        all_history.first_history_year,
        all_history.last_history_year,
        history.department_ratio,
        all_history.all_ratio,
        coalesce(history.department_weight, cast(0 as decimal(18,4))) as department_weight,
        coalesce(history.delivery_ratio, all_history.all_ratio) as delivery_ratio,
        case
            when history.interval_source is not null then history.interval_source
            when all_history.all_ratio is not null then 'all_departments'
        end as interval_source,
        coalesce(history.residual_low, all_history.all_residual_low) as residual_low,
        coalesce(history.residual_high, all_history.all_residual_high) as residual_high
    from pairs
    left join history
        on pairs.fiscal_year = history.target_year
        and pairs.period = history.period
        and pairs.department_code = history.department_code
    left join all_history
        on pairs.fiscal_year = all_history.target_year
        and pairs.period = all_history.period
),

pointed as (
    select
        inputs.*,
        least(current_rate, cast(1 as decimal(18,4))) as floor_rate,
        case
            when current_rate >= 1 then current_rate
            when delivery_ratio is null then promised_rate
            else cast(round(cast(least(cast(1 as decimal(18,4)), greatest(current_rate,
                current_rate + delivery_ratio * (promised_rate - current_rate))) as decimal(18,8)), 4) as decimal(18,4))
        end as forecast_rate
    from inputs
),

forecast as (
    select
        fiscal_year,
        period,
        period_sort_order,
        department_code,
        project_code,
        budget,
        executed,
        current_rate,
        stated_execution,
        stated_rate,
        promised_rate,
        method,
        department_pairs,
        all_pairs,
        first_history_year,
        last_history_year,
        department_ratio,
        all_ratio,
        department_weight,
        delivery_ratio,
        interval_source,
        residual_low,
        residual_high,
        forecast_rate,
        case when residual_low is not null
            then least(forecast_rate, greatest(floor_rate, forecast_rate + residual_low))
        end as forecast_low,
        case when residual_high is not null
            then greatest(forecast_rate, least(cast(1 as decimal(18,4)), forecast_rate + residual_high))
        end as forecast_high,
        actual_rate,
        actual_source
    from pointed
)

select * from forecast
