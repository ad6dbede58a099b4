-- materialized: incremental
-- indexes: project_code
-- unique_key: fiscal_year, period, project_code
-- delete_where: exists (select 1 from {{ incremental_rows }} as k where k.fiscal_year = {{ this }}.fiscal_year and k.period = {{ this }}.period and k.project_code = {{ this }}.project_code)
-- full_refresh_above_share: 0.75
-- 项目偏差排名: per project and (fiscal_year, period), its 偏差指数 and its rank across the province:
--   deviation_rank    1 = worst within (fiscal_year, period); ties share a rank
-- Narrow on purpose (issue 15): a department's first 监控 of a period moves the rank of most of that year's projects,
-- and these five columns are what such a pass writes for them; mart_project_deviation (the view DESIGN §4 names)
-- joins the rank to the wide rows of mart_project_deviation_base, which a pass writes for the touched projects alone;
-- a department's pages find their projects' ranks by the index on project_code (PostgreSQL).
-- 增量: the touched projects' rows (build_slice) are recomputed, and the rank of every (fiscal_year, period) they have
-- rows in (now or before) is computed again over the kept rows and the new ones; the rows written are the touched
-- projects' and those whose rank moved (rank = 1 + the rows of the period with a greater 偏差指数, so only the projects
-- between a changed project's old and new place move). The rows deleted are those rewritten and the touched projects'
-- rows that are gone (incremental_delete_only rows), by key (delete_where). Not `project_code in (build_slice) or
-- exists (…)`: an OR of two subqueries is computed for every row of the table, and in a pass that moved a filled year's
-- ranks that delete took 0.18 s of the model's 0.37 s; by key alone 0.05 s of 0.26 s (DuckDB, province, 2 years, 19
-- passes of 200 uploads, issue 15; PostgreSQL the same within its spread, 0.39 and 0.45 s). When the rows to write are
-- more than full_refresh_above_share of the table's, the table is written whole instead. Measured (issue 15, province,
-- 2 years of 200,000 projects, the second being uploaded, when the rank was a column of the wide mart): 199,000 rows
-- moved, written by key in 0.65–1.05 s on DuckDB against 1.56 s whole; on PostgreSQL 6.2–6.4 s by key against 7.0 s
-- whole — about even at three quarters of the table.
with fresh as (
    select source.fiscal_year, source.period, source.project_code, source.deviation_index
    from {{ ref('mart_project_deviation_base') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
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

-- the rank computed again over the kept rows and the new ones of the moved periods. The periods as a semi join
-- (exists), not an inner join: joined on two columns of a few values, DuckDB estimated 1.6 billion rows for the 199,165
-- kept (issue 15)
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
)

-- the touched projects' rows (ranked again in a moved period, else with the rank they had), the kept rows whose rank
-- moved, with their new rank, and the keys of the touched projects' rows that are gone (deleted, not inserted)
select
    fresh.fiscal_year,
    fresh.period,
    fresh.project_code,
    fresh.deviation_index,
    coalesce(ranked.deviation_rank, previous_touched.deviation_rank) as deviation_rank,
    false as incremental_delete_only
from fresh
left join ranked
    on fresh.fiscal_year = ranked.fiscal_year and fresh.period = ranked.period and fresh.project_code = ranked.project_code
    and ranked.previous_rank is null
left join previous_touched
    on fresh.fiscal_year = previous_touched.fiscal_year and fresh.period = previous_touched.period
    and fresh.project_code = previous_touched.project_code
union all
select ranked.fiscal_year, ranked.period, ranked.project_code, ranked.deviation_index, ranked.deviation_rank, false
from ranked
where ranked.previous_rank is not null and ranked.previous_rank <> ranked.deviation_rank
union all
select previous_touched.fiscal_year, previous_touched.period, previous_touched.project_code,
    previous_touched.deviation_index, previous_touched.deviation_rank, true
from previous_touched
where not exists (
    select 1 from fresh
    where fresh.fiscal_year = previous_touched.fiscal_year and fresh.period = previous_touched.period
        and fresh.project_code = previous_touched.project_code
)
{% else %}
ranked as (
    select
        fresh.*,
        cast(rank() over (partition by fiscal_year, period order by deviation_index desc) as integer) as deviation_rank
    from fresh
)

select * from ranked
{% endif %}
