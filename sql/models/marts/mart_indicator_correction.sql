-- materialized: incremental
-- indexes: project_code; department_code
-- unique_key: fiscal_year, project_code
-- 纠偏跟踪: every monitored indicator that went red or yellow, or that the department corrected or asked to adjust,
-- with what it submitted: the 纠偏表 (附件2) of the period's quarter (1-6月 → Q2: 存在的主要问题, 改进措施) and the
-- 调整表 (附件3) of the year (原指标 → 调整后指标, 调整原因, and the form's head: 调整后预期目标 — 项目（政策）产出 /
-- 预期成效 / 目标完成度 —, 具体工作任务／工作量, 计划时间安排), and the 是否偏差 the department ticked in its monitoring
-- form (表2-2, declared_deviation as written). One row per year, period, project and indicator.
-- The monitored indicators are mart_indicator_derivation's stage '监控' rows, read where that view reads them:
-- fct_indicator_judgement's project rows (the view fct_indicator_progress), with the project's name (dim_project) and
-- the period's sort order (dim_period, 999 when the period is not in it) joined as the view joins them (a view read
-- through the slice filter below is computed whole).
-- 增量 (issue 15): a project-year's rows read only its own indicators, 纠偏表, 调整表 and 是否偏差 rows, so an
-- incremental build replaces the project-years of the touched slices (build_slice) and keeps every other row.
{% if is_incremental() %}
-- 增量: the touched slices' rows picked by their key columns, then read by row id (of fct_indicator_judgement's 3·10⁶)
with project_indicators as (
    {% by_row_id('fct_indicator_judgement') %}
    where source.entity_kind = 'project'
    and {{ in_slice('source', 'project', 'entity_code') }}
    {% endby_row_id %}
),
{% else %}
with project_indicators as (
    select * from {{ ref('fct_indicator_judgement') }}
    where entity_kind = 'project'
),
{% endif %}

-- the names, 纠偏表 and 调整表 of the slice's projects only (增量): each is joined on the project (and 年度) of a monitored
-- row read through the same filter, and a 纠偏表 / 调整表 row number counts within one project-year, so the rows left out
-- could join no row kept (DuckDB, province: every 纠偏表 and 调整表 row joined to its current batch and numbered, and
-- all 200,000 projects hashed, each pass, issue 15)
projects as (
    select * from {{ ref('dim_project') }} as source
    {% if is_incremental() %}
    where source.project_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

indicators as (
    select level1, level2, level3, indicator_key, category from {{ ref('dim_indicator') }}
),

dim_periods as (
    select * from {{ ref('dim_period') }}
),

corrections as (
    select * from {{ ref('fct_correction') }} as source
    {% if is_incremental() %}
    where {{ in_slice('source', 'project', 'project_code') }}
    {% endif %}
),

adjustments as (
    select * from {{ ref('fct_adjustment') }} as source
    {% if is_incremental() %}
    where {{ in_slice('source', 'project', 'project_code') }}
    {% endif %}
),

periods as (
    select * from {{ ref('period') }}
),

-- 指标值, 1-6月实际完成值, 偏差原因 and 是否偏差 as written, of the monitored rows (by their batch, row, 年度, 期间
-- and 项目): the row's own 是否偏差 (issue 15: it was the least of the flags ticked on the same indicator's rows of the
-- current batch, an aggregate of every 监控指标 row — 2.9·10⁶ at province scale — in each full build; the two differ only
-- where one form lists an indicator twice, and then each row now shows what was ticked on it)
written as (
    select batch_id, source_row, fiscal_year, period, project_code, annual_target, period_actual, deviation_causes,
        deviation_flag
    from {{ ref('stg_monitoring_indicator_text') }}
),

monitored as (
    select
        project_indicators.fiscal_year,
        project_indicators.period,
        cast(coalesce(dim_periods.sort_order, 999) as integer) as period_sort,
        periods.quarter,
        project_indicators.department_code,
        project_indicators.entity_code as project_code,
        projects.project_name,
        indicators.indicator_key,
        project_indicators.level1,
        project_indicators.level2,
        project_indicators.level3,
        indicators.category,
        project_indicators.light,
        project_indicators.shortfall,
        project_indicators.batch_id,
        project_indicators.source_row
    from project_indicators
    left join indicators
        on project_indicators.level1 = indicators.level1
        and project_indicators.level2 = indicators.level2
        and project_indicators.level3 = indicators.level3
    left join projects on project_indicators.entity_code = projects.project_code
    left join dim_periods
        on project_indicators.fiscal_year = dim_periods.fiscal_year
        and project_indicators.period = dim_periods.period
    left join periods on project_indicators.period = periods.period
),

corrected as (
    select
        fiscal_year, quarter, project_code, level3, problems, measures,
        row_number() over (partition by fiscal_year, quarter, project_code, level3 order by source_row) as row_in_indicator
    from corrections
    where problems is not null or measures is not null
),

adjusted as (
    select
        fiscal_year, project_code, level3, original_target, adjusted_target, reason,
        adjusted_output, adjusted_outcome, adjusted_completion, work_tasks, schedule_plan,
        row_number() over (partition by fiscal_year, project_code, level3 order by source_row) as row_in_indicator
    from adjustments
    where adjusted_target is not null
),

tracked as (
    select
        monitored.fiscal_year,
        monitored.period,
        monitored.period_sort,
        monitored.quarter,
        monitored.department_code,
        monitored.project_code,
        monitored.project_name,
        monitored.indicator_key,
        monitored.level1,
        monitored.level2,
        monitored.level3,
        monitored.category,
        written.annual_target,
        written.period_actual,
        monitored.light,
        monitored.shortfall,
        written.deviation_causes,
        corrected.problems as correction_problems,
        corrected.measures as correction_measures,
        adjusted.original_target,
        adjusted.adjusted_target,
        adjusted.reason as adjustment_reason,
        adjusted.adjusted_output,
        adjusted.adjusted_outcome,
        adjusted.adjusted_completion,
        adjusted.work_tasks as adjustment_work_tasks,
        adjusted.schedule_plan as adjustment_schedule,
        written.deviation_flag as declared_deviation,
        case
            when adjusted.adjusted_target is not null then '申请调整目标'
            when corrected.measures is not null then '已纠偏'
            else '未纠偏'
        end as correction_status
    from monitored
    left join corrected
        on corrected.fiscal_year = monitored.fiscal_year
        and corrected.quarter = monitored.quarter
        and corrected.project_code = monitored.project_code
        and corrected.level3 = monitored.level3
        and corrected.row_in_indicator = 1
    left join adjusted
        on adjusted.fiscal_year = monitored.fiscal_year
        and adjusted.project_code = monitored.project_code
        and adjusted.level3 = monitored.level3
        and adjusted.row_in_indicator = 1
    -- the texts as written, joined here, under the filter below: PostgreSQL cannot estimate that filter (2.9M rows
    -- guessed for 660k at province scale), and with the filtered rows fenced off first it hashed all 2.9M texts in one
    -- process (EXPLAIN ANALYZE, province, the same busy machine: 12.1 s fenced, 11.6 s so; issue 15)
    left join written
        on written.batch_id = monitored.batch_id
        and written.source_row = monitored.source_row
        and written.fiscal_year = monitored.fiscal_year
        and written.period = monitored.period
        and written.project_code = monitored.project_code
    where monitored.light in ('red', 'yellow')
        or corrected.project_code is not null
        or adjusted.project_code is not null
)

select * from tracked
