-- materialized: incremental
-- unique_key: fiscal_year, project_code
-- 年中与年末执行率 (issue 17 item 3): one row per project at each mid-year monitoring period (a cumulative 1-n月 or
-- 上半年 before December, budget > 0), the inputs of the year-end forecast (fct_execution_forecast):
--   current_rate    执行率 at the period (mart_project_deviation)
--   stated_rate     全年预计执行数 ÷ 预算数 as the form states it, summed over the fund lines the budget comes from
--                   (budget_basis); NULL when the form leaves it blank
--   promised_rate   the stated rate, or the whole budget (1) when blank; never below current_rate
--   actual_rate     the year-end 执行率 once known: the year's 自评 (fct_budget_score: 全年执行数 ÷ 全年预算数), else a
--                   1-12月 / 全年 monitoring submission (actual_source says which); NULL for a year still running
-- 增量 (issue 15): a project-year's pairs read only that project-year's periods, fund lines and 自评, so an
-- incremental build replaces the project-years of the touched slices (build_slice) whole.
with deviation as (
    select * from {{ ref('mart_project_deviation_base') }} as source
    {% if is_incremental() %}
    where {{ in_slice('source', 'project', 'project_code') }}
    {% endif %}
),

execution as (
    select * from {{ ref('fct_budget_execution') }} as source
    {% if is_incremental() %}
    where {{ in_slice('source', 'project', 'project_code') }}
    {% endif %}
),

fund_lines as (
    select * from {{ ref('dim_fund_line') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

budget_scores as (
    select * from {{ ref('fct_budget_score') }} as source
    where entity_kind = 'project'
    {% if is_incremental() %}
    and {{ in_slice('source', 'project', 'entity_code') }}
    {% endif %}
),

stated_lines as (
    select
        execution.fiscal_year,
        execution.period,
        execution.project_code,
        fund_lines.line_kind,
        sum(execution.forecast_execution) as stated_execution,
        count(execution.forecast_execution) as stated_line_count
    from execution
    inner join fund_lines on execution.fund_line = fund_lines.fund_line
    group by execution.fiscal_year, execution.period, execution.project_code, fund_lines.line_kind
),

mid_year as (
    select
        deviation.fiscal_year,
        deviation.period,
        periods.sort_order as period_sort_order,
        deviation.department_code,
        deviation.project_code,
        deviation.budget,
        deviation.executed,
        deviation.execution_rate as current_rate,
        stated_lines.stated_execution,
        case
            when stated_lines.stated_line_count > 0
                then cast(round(cast(stated_lines.stated_execution / deviation.budget as decimal(18,8)), 4) as decimal(18,4))
        end as stated_rate
    from deviation
    inner join periods
        on deviation.fiscal_year = periods.fiscal_year
        and deviation.period = periods.period
    left join stated_lines
        on deviation.fiscal_year = stated_lines.fiscal_year
        and deviation.period = stated_lines.period
        and deviation.project_code = stated_lines.project_code
        and deviation.budget_basis = stated_lines.line_kind
    where periods.period_kind in ('cumulative', 'half')
        and periods.first_month = 1
        and periods.last_month < 12
        and deviation.budget > 0
),

promised as (
    select
        mid_year.*,
        greatest(coalesce(stated_rate, cast(1 as decimal(18,4))), current_rate) as promised_rate
    from mid_year
),

year_end_candidates as (
    select fiscal_year, entity_code as project_code, execution_rate as actual_rate, 'self_evaluation' as actual_source, 1 as priority
    from budget_scores
    where execution_rate is not null
    union all
    select deviation.fiscal_year, deviation.project_code, deviation.execution_rate, 'monitoring', 100 - periods.sort_order
    from deviation
    inner join periods
        on deviation.fiscal_year = periods.fiscal_year
        and deviation.period = periods.period
    where periods.first_month = 1 and periods.last_month = 12 and deviation.execution_rate is not null
),

year_end as (
    select fiscal_year, project_code, actual_rate, actual_source
    from (
        select
            year_end_candidates.*,
            row_number() over (partition by fiscal_year, project_code order by priority) as pick
        from year_end_candidates
    ) ranked
    where pick = 1
),

pairs as (
    select
        promised.*,
        year_end.actual_rate,
        year_end.actual_source
    from promised
    left join year_end
        on promised.fiscal_year = year_end.fiscal_year
        and promised.project_code = year_end.project_code
)

select * from pairs
