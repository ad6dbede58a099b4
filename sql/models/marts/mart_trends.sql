-- materialized: incremental
-- unique_key: fiscal_year, period, department_code
-- delete_where: coalesce({{ this }}.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
-- full_refresh_when_changed: dim_department
-- 趋势: per department and (fiscal_year, period), the projects' budget, execution and execution lights,
-- for comparing periods and years: a time series over every period loaded (1-3月 … 1-12月, Q1–Q4, 全年).
-- execution_rate = Σ executed / Σ budget, by execution_rate() (migration 0185: the one definition of a sum's 执行率).
--   period_sort_order  the period's place in the year (dim_period.sort_order: 1-1月 … 1-12月 = 1–12, Q1–Q4 = 21–24,
--                      全年 = 40); sort by (fiscal_year, period_sort_order), never by the period's text (1-12月 < 1-3月)
--   period_end         the period's last day, a date axis for a line chart
--   deviation_index    偏差指数: mean of the department's projects' deviation_index at that period
--   blue_count         projects whose light is 蓝 (ahead of 序时进度; green_count leaves them out)
--   grade_*_count      the year's 自评 grades of the department's projects (mart_project_grade): 优 / 良 / 中 / 差 / 未评,
--                      the same on every period of the year (0 before the year-end self-evaluation is loaded)
-- 增量 (issue 15): as mart_department_rollup, the touched departments' rows (build_slice) in every 年度 and 期间, from their
-- own projects' rows of mart_project_deviation and mart_project_grade (both kept by project); in full when the
-- departments' names (dim_department) changed. mart_project_deviation's rows are read from the view's inputs
-- (mart_project_deviation_base and dim_department), not through it: the view joins every row of
-- mart_project_deviation_rank, which the same pass has just rewritten, for a column not read here. A changed dim_period
-- alone (a 年度 arriving or leaving; its seed and schedule_basis are in the fingerprint) touches only the rows of that
-- year, whose projects' departments are in build_slice (mart_cut_candidates says why).
-- mart_project_deviation's rows without its rank, read from the view's inputs (see the header)
with project_deviation as (
    select base.*, departments.department_name
    from {{ ref('mart_project_deviation_base') }} as base
    left join {{ ref('dim_department') }} as departments on base.department_code = departments.department_code
    {% if is_incremental() %}
    where coalesce(base.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
    {% endif %}
),

project_grades as (
    select * from {{ ref('mart_project_grade') }} as source
    {% if is_incremental() %}
    where coalesce(source.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
    {% endif %}
),

periods as (
    select * from {{ ref('dim_period') }}
),

grade_counts as (
    select
        fiscal_year,
        department_code,
        count(case when grade = '优' then 1 end) as grade_excellent_count,
        count(case when grade = '良' then 1 end) as grade_good_count,
        count(case when grade = '中' then 1 end) as grade_fair_count,
        count(case when grade = '差' then 1 end) as grade_poor_count,
        count(case when grade = '未评' then 1 end) as grade_unrated_count
    from project_grades
    group by fiscal_year, department_code
),

department_totals as (
    select
        fiscal_year,
        period,
        department_code,
        department_name,
        count(*) as project_count,
        cast(sum(budget) as decimal(18,4)) as budget,
        cast(sum(executed) as decimal(18,4)) as executed,
        max(schedule_rate) as schedule_rate,
        count(case when warning = 'red' then 1 end) as red_count,
        count(case when warning = 'yellow' then 1 end) as yellow_count,
        count(case when warning = 'green' then 1 end) as green_count,
        count(case when warning = 'blue' then 1 end) as blue_count,
        count(deviation_index) as indexed_count,
        sum(deviation_index) as deviation_index_sum
    from project_deviation
    group by fiscal_year, period, department_code, department_name
),

trends as (
    select
        department_totals.fiscal_year,
        department_totals.period,
        department_totals.department_code,
        department_totals.department_name,
        periods.sort_order as period_sort_order,
        make_date(periods.fiscal_year + case when periods.last_month = 12 then 1 else 0 end,
                  case when periods.last_month = 12 then 1 else periods.last_month + 1 end, 1) - 1 as period_end,
        department_totals.project_count,
        department_totals.budget,
        department_totals.executed,
        execution_rate(department_totals.executed, department_totals.budget) as execution_rate,
        department_totals.schedule_rate,
        department_totals.red_count,
        department_totals.yellow_count,
        department_totals.green_count,
        department_totals.blue_count,
        case
            when department_totals.indexed_count > 0
                then cast(round(cast(department_totals.deviation_index_sum / department_totals.indexed_count
                                     as decimal(18,8)), 4) as decimal(18,4))
        end as deviation_index,
        cast(coalesce(grade_counts.grade_excellent_count, 0) as bigint) as grade_excellent_count,
        cast(coalesce(grade_counts.grade_good_count, 0) as bigint) as grade_good_count,
        cast(coalesce(grade_counts.grade_fair_count, 0) as bigint) as grade_fair_count,
        cast(coalesce(grade_counts.grade_poor_count, 0) as bigint) as grade_poor_count,
        cast(coalesce(grade_counts.grade_unrated_count, 0) as bigint) as grade_unrated_count
    from department_totals
    left join grade_counts
        on department_totals.fiscal_year = grade_counts.fiscal_year
        and department_totals.department_code = grade_counts.department_code
    left join periods
        on department_totals.fiscal_year = periods.fiscal_year
        and department_totals.period = periods.period
)

select * from trends
