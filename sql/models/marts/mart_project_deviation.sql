-- 项目偏差 (DESIGN §4's columns): per project and (fiscal_year, period), budget against execution and 序时进度, the
-- lights and 偏差指数 — computed once in fct_execution_rating (entity_kind 'project'; its header says how) — with the
-- project's and the department's names and its rank:
--   deviation_rank    1 = worst within (fiscal_year, period); ties share a rank
-- A view over what builds keep (issue 15): the wide rows of mart_project_deviation_base, written per project, and the
-- narrow rank of mart_project_deviation_rank. A department's first 监控 of a period moves the rank of most of that
-- year's projects; while the rank was a column of this mart stored whole, such a pass wrote each of those wide rows
-- again (PostgreSQL, province, a year being filled: 4.7–5.7 s of an 8.2–9.0 s pass). The department's name is read
-- from dim_department as it is now.
select
    base.fiscal_year,
    base.period,
    base.department_code,
    departments.department_name,
    base.project_code,
    base.project_name,
    base.project_type,
    base.fund_nature,
    base.is_key,
    base.budget,
    base.executed,
    base.execution_rate,
    base.schedule_rate,
    base.execution_progress,
    base.warning,
    base.execution_deviation,
    base.budget_basis,
    base.batch_id,
    base.execution_warning,
    base.indicator_count,
    base.reported_indicator_count,
    base.red_indicator_count,
    base.mean_shortfall,
    base.indicator_deviation,
    base.deviation_index,
    ranks.deviation_rank
from {{ ref('mart_project_deviation_base') }} as base
left join {{ ref('dim_department') }} as departments on base.department_code = departments.department_code
left join {{ ref('mart_project_deviation_rank') }} as ranks
    on base.fiscal_year = ranks.fiscal_year and base.period = ranks.period and base.project_code = ranks.project_code
