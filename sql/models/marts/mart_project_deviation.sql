-- materialized: incremental
-- indexes: project_code; department_code
-- unique_key: fiscal_year, period, project_code
-- delete_where: {{ this }}.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project') or exists (select 1 from {{ incremental_rows }} as k where k.fiscal_year = {{ this }}.fiscal_year and k.period = {{ this }}.period and k.project_code = {{ this }}.project_code)
-- full_refresh_above_share: 0.75
-- 项目偏差: per project and (fiscal_year, period), budget against execution and 序时进度, the lights and 偏差指数 —
-- computed once in fct_execution_rating (entity_kind 'project'; its header says how) — with the project's names
-- and its rank:
--   deviation_rank    1 = worst within (fiscal_year, period); ties share a rank
-- The rows come from mart_project_deviation_base, kept by project (增量, issue 15); this model adds the department's
-- name and the rank. 增量: the touched projects' rows (build_slice) are recomputed, and the rank of every (fiscal_year,
-- period) they have rows in (now or before) is computed again over the kept rows and the new ones; the rows written are
-- the touched projects' and those whose rank moved (rank = 1 + the rows of the period with a greater 偏差指数, so only
-- the projects between a changed project's old and new place move). The rows deleted are the touched projects' and
-- those rewritten (delete_where). When the rows to write are more than full_refresh_above_share of the table's (a
-- department's first 监控 of a period moves the rank of most of that year's projects, and the table holds every year),
-- the table is written whole instead. Measured (issue 15, province, DuckDB, 2 years of 200,000 projects, the second
-- being uploaded): 199,000 rows moved, written incrementally in 0.65–1.05 s (the rank 0.4–0.7 s of it); the table's
-- 400,000 rows written whole in 1.56 s — about even at three quarters of the table. PostgreSQL, the same pass: 6.2–6.4 s
-- by key, 7.0 s whole (2.8 s of it the rows staged first to be counted, then 2.2–2.4 s CREATE TABLE AS, 1.4 s indexes):
-- no lower share pays there once the rows are staged.
with base as (
    select * from {{ ref('mart_project_deviation_base') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

departments as (
    select department_code, department_name from {{ ref('dim_department') }}
),

fresh as (
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
        base.deviation_index
    from base
    left join departments on base.department_code = departments.department_code
),

{% if is_incremental() %}
touched as (
    select project_code from {{ ref('build_slice') }} where entity_kind = 'project'
),

-- the touched projects' rows as the table holds them (by its index on project_code)
previous_touched as (
    select previous.fiscal_year, previous.period, previous.project_code, previous.deviation_index, previous.deviation_rank
    from {{ this }} as previous
    where previous.project_code in (select project_code from touched)
),
-- the (fiscal_year, period) whose rank may move: those where a touched project's row came, went or changed its 偏差指数.
-- In any other period every 偏差指数 is as it was, so every rank is (rank = 1 + the rows with a greater one): the touched
-- projects' rows there keep their rank and the period is not ranked again (a new 年度's upload recomputes the projects'
-- rows of earlier years unchanged; ranking 2026's 200,000 rows again for them cost most of the model's pass, issue 15)
moved_periods as (
    select fresh.fiscal_year, fresh.period from fresh
    where not exists (
        select 1 from previous_touched
        where previous_touched.fiscal_year = fresh.fiscal_year and previous_touched.period = fresh.period
            and previous_touched.project_code = fresh.project_code
            and previous_touched.deviation_index is not distinct from fresh.deviation_index
    )
    union
    select previous_touched.fiscal_year, previous_touched.period from previous_touched
    where not exists (
        select 1 from fresh
        where fresh.fiscal_year = previous_touched.fiscal_year and fresh.period = previous_touched.period
            and fresh.project_code = previous_touched.project_code
    )
),

-- the rank computed again over the keys alone (the kept rows' and the new ones'), so the period's wide rows are not copied.
-- The periods as a semi join (exists), not an inner join: joined on two columns of a few values, DuckDB estimated 1.6
-- billion rows for the 199,165 kept and, for the moved rows, built its hash table on the table's 200,000 wide rows
-- below instead of on the moved keys (issue 15)
candidates as (
    select kept.fiscal_year, kept.period, kept.project_code, kept.deviation_index, kept.deviation_rank as previous_rank
    from {{ this }} as kept
    where exists (
        select 1 from moved_periods
        where moved_periods.fiscal_year = kept.fiscal_year and moved_periods.period = kept.period
    )
    and not exists (select 1 from touched where touched.project_code = kept.project_code)
    union all
    select fresh.fiscal_year, fresh.period, fresh.project_code, fresh.deviation_index, cast(null as integer) as previous_rank
    from fresh
    where exists (
        select 1 from moved_periods
        where moved_periods.fiscal_year = fresh.fiscal_year and moved_periods.period = fresh.period
    )
),

ranked as (
    select
        candidates.*,
        cast(rank() over (partition by fiscal_year, period order by deviation_index desc) as integer) as deviation_rank
    from candidates
),

moved as (
    select fiscal_year, period, project_code, previous_rank, deviation_rank from ranked
    where previous_rank is null or previous_rank <> deviation_rank
)

-- the touched projects' new rows (ranked again in a moved period, else with the rank they had), and the kept rows whose
-- rank moved, with their new rank
select
    fresh.fiscal_year,
    fresh.period,
    fresh.department_code,
    fresh.department_name,
    fresh.project_code,
    fresh.project_name,
    fresh.project_type,
    fresh.fund_nature,
    fresh.is_key,
    fresh.budget,
    fresh.executed,
    fresh.execution_rate,
    fresh.schedule_rate,
    fresh.execution_progress,
    fresh.warning,
    fresh.execution_deviation,
    fresh.budget_basis,
    fresh.batch_id,
    fresh.execution_warning,
    fresh.indicator_count,
    fresh.reported_indicator_count,
    fresh.red_indicator_count,
    fresh.mean_shortfall,
    fresh.indicator_deviation,
    fresh.deviation_index,
    coalesce(moved.deviation_rank, previous_touched.deviation_rank) as deviation_rank
from fresh
left join moved
    on fresh.fiscal_year = moved.fiscal_year and fresh.period = moved.period and fresh.project_code = moved.project_code
    and moved.previous_rank is null
left join previous_touched
    on fresh.fiscal_year = previous_touched.fiscal_year and fresh.period = previous_touched.period
    and fresh.project_code = previous_touched.project_code
union all
select
    kept.fiscal_year,
    kept.period,
    kept.department_code,
    kept.department_name,
    kept.project_code,
    kept.project_name,
    kept.project_type,
    kept.fund_nature,
    kept.is_key,
    kept.budget,
    kept.executed,
    kept.execution_rate,
    kept.schedule_rate,
    kept.execution_progress,
    kept.warning,
    kept.execution_deviation,
    kept.budget_basis,
    kept.batch_id,
    kept.execution_warning,
    kept.indicator_count,
    kept.reported_indicator_count,
    kept.red_indicator_count,
    kept.mean_shortfall,
    kept.indicator_deviation,
    kept.deviation_index,
    moved.deviation_rank
from {{ this }} as kept
inner join moved
    on kept.fiscal_year = moved.fiscal_year and kept.period = moved.period and kept.project_code = moved.project_code
    and moved.previous_rank is not null
-- the moved projects first, uncorrelated: the engine filters the scan of the table by them before the join
where kept.project_code in (select project_code from moved where previous_rank is not null)
{% else %}
ranked as (
    select
        fresh.*,
        cast(rank() over (partition by fiscal_year, period order by deviation_index desc) as integer) as deviation_rank
    from fresh
)

select * from ranked
{% endif %}
