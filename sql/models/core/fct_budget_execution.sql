-- materialized: incremental
-- unique_key: fiscal_year, period, project_code
-- 预算执行: one row per fund line of a project's latest monitoring submission for (fiscal_year, period).
-- budget (预算数) = 调整后预算数 when given, else 年初预算数; a form that prints no 预算数 (表2-2, 常纺院 预算绩效管理办法)
-- is judged against its plan: budget = 期间计划执行数 ÷ 序时进度, so that 执行率 = r × 序时进度 with
-- r = 实际执行数 ÷ 计划执行数, and r is the 执行进度 the bands and 偏差指数 read (README.forms.md beside this model).
-- Between them, a line declared in 表2-1 (stg_declaration_fund) takes its declared 全年预算数 ('declared'): only
-- without a declaration does the plan rule apply.
-- budget_rule says which: 'adjusted' | 'initial' | 'declared' | 'plan'. department_code is the project's (dim_project).
with monitoring_funds as (
    select * from {{ ref('stg_monitoring_fund') }} as source
    {% if is_incremental() %}
    -- 增量: only the (年度, 期间, 部门) slices this build recomputes
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select project_code from {{ ref('build_slice') }})
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.period = source.period
            and touched.project_code = source.project_code
    )
    {% endif %}
),

projects as (
    select * from {{ ref('dim_project') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

declared as (
    select * from {{ ref('stg_declaration_fund') }}
),

execution as (
    select
        monitoring_funds.fiscal_year,
        monitoring_funds.period,
        monitoring_funds.project_code,
        projects.department_code,
        monitoring_funds.fund_line,
        monitoring_funds.initial_budget,
        monitoring_funds.adjusted_budget,
        coalesce(
            monitoring_funds.adjusted_budget,
            monitoring_funds.initial_budget,
            declared.annual_budget,
            case when periods.schedule_rate > 0
                then cast(round(cast(monitoring_funds.planned_execution / periods.schedule_rate as decimal(18,8)), 4) as decimal(18,4))
            end
        ) as budget,
        case
            when monitoring_funds.adjusted_budget is not null then 'adjusted'
            when monitoring_funds.initial_budget is not null then 'initial'
            when declared.annual_budget is not null then 'declared'
            when monitoring_funds.planned_execution is not null then 'plan'
        end as budget_rule,
        monitoring_funds.executed,
        monitoring_funds.planned_execution,
        monitoring_funds.forecast_execution,
        monitoring_funds.carryover_years,
        monitoring_funds.deviation_flag,
        monitoring_funds.batch_id,
        monitoring_funds.source_row
    from monitoring_funds
    left join projects on monitoring_funds.project_code = projects.project_code
    left join periods
        on monitoring_funds.fiscal_year = periods.fiscal_year
        and monitoring_funds.period = periods.period
    left join declared
        on monitoring_funds.fiscal_year = declared.fiscal_year
        and monitoring_funds.project_code = declared.project_code
        and monitoring_funds.fund_line = declared.fund_line
)

select * from execution
