-- materialized: incremental
-- indexes: project_code; department_code
-- unique_key: fiscal_year, period, project_code
-- delete_where: {{ this }}.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
-- full_refresh_when_changed: rule_basis, dim_department
-- 年末执行预测 by project (issue 17 item 3): fct_execution_forecast with the names the pages show and the 预计结转
-- risk: carryover_risk when forecast_rate < forecast_carryover_min (policy_setting); expected_carryover (万元) =
-- budget × (1 − forecast_rate), what the forecast leaves unspent at year end. The rule (forecast.carryover) cites
-- 杭锦旗 第八条（二）(预计结转结余情况) and 第十五条（三）(避免资金沉淀) through rule_basis, never literals here.
-- Once the year end is known: forecast_error = |actual − forecast|, stated_error = |actual − stated| (the back-test's
-- naive forecast, 全年预计执行数 as stated). One row per (fiscal_year, period, project_code); the department totals are
-- mart_department_forecast.
-- 增量 (issue 15): every year of the projects in build_slice (a project's name changes only with a batch naming it,
-- which puts it there, and then in every year); in full when the departments' names (dim_department) or the rule's
-- basis changed. The names are mart_project_deviation's, read from the view's inputs (mart_project_deviation_base and
-- dim_department) and not through it: the view joins every row of mart_project_deviation_rank, which the same pass has
-- just rewritten, for a column not read here
{% if is_incremental() %}
-- 增量: the touched projects' forecasts picked by their code, then read by row id
with forecast as (
    {% by_row_id('fct_execution_forecast') %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endby_row_id %}
),
{% else %}
with forecast as (
    select * from {{ ref('fct_execution_forecast') }}
),
{% endif %}

-- the names mart_project_deviation shows, read from its two inputs without the view's join to the rank (see the header)
deviation as (
    select base.fiscal_year, base.period, base.project_code, base.project_name, departments.department_name
    from {{ ref('mart_project_deviation_base') }} as base
    left join {{ ref('dim_department') }} as departments on base.department_code = departments.department_code
    {% if is_incremental() %}
    where base.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

settings as (
    select * from {{ ref('policy_current') }}
),

rule_bases as (
    select * from {{ ref('rule_basis') }}
    where rule_key = 'forecast.carryover'
),

policy as (
    select cast(max(case when setting = 'forecast_carryover_min' then value end) as decimal(18,4)) as carryover_min
    from settings
),

execution_forecast as (
    select
        forecast.fiscal_year,
        forecast.period,
        forecast.period_sort_order,
        forecast.department_code,
        deviation.department_name,
        forecast.project_code,
        deviation.project_name,
        forecast.budget,
        forecast.executed,
        forecast.current_rate,
        forecast.stated_execution,
        forecast.stated_rate,
        forecast.promised_rate,
        forecast.forecast_rate,
        forecast.forecast_low,
        forecast.forecast_high,
        forecast.method,
        forecast.department_pairs,
        forecast.all_pairs,
        forecast.first_history_year,
        forecast.last_history_year,
        forecast.department_ratio,
        forecast.all_ratio,
        forecast.department_weight,
        forecast.delivery_ratio,
        forecast.interval_source,
        forecast.residual_low,
        forecast.residual_high,
        policy.carryover_min,
        coalesce(forecast.forecast_rate < policy.carryover_min, false) as carryover_risk,
        case when forecast.forecast_rate < 1
            then cast(round(cast(forecast.budget * (1 - forecast.forecast_rate) as decimal(18,8)), 4) as decimal(18,4))
            else cast(0 as decimal(18,4))
        end as expected_carryover,
        forecast.actual_rate,
        forecast.actual_source,
        abs(forecast.actual_rate - forecast.forecast_rate) as forecast_error,
        abs(forecast.actual_rate - forecast.stated_rate) as stated_error,
        coalesce(rule_bases.basis, '未对应条款') as basis,
        coalesce(rule_bases.basis_quote, '未对应条款') as basis_quote
    from forecast
    inner join deviation
        on forecast.fiscal_year = deviation.fiscal_year
        and forecast.period = deviation.period
        and forecast.project_code = deviation.project_code
    cross join policy
    left join rule_bases on 1 = 1
)

select * from execution_forecast
