-- materialized: incremental
-- unique_key: fiscal_year, period, department_code, indicator_category
-- delete_where: exists (select 1 from {{ ref('build_slice') }} as k where k.entity_kind = 'department' and k.fiscal_year = {{ this }}.fiscal_year and k.period = {{ this }}.period and coalesce(k.department_code, '') = coalesce({{ this }}.department_code, ''))
-- 偏差热力图: department × indicator category per (fiscal_year, period), over the projects' monitoring indicators.
--   indicator_count    indicators submitted (reported_count: those not 未填报)
--   mean_shortfall     mean of fct_indicator_progress.shortfall over the reported ones (0 = on track, 1 = nothing done)
--   red_count          indicators lit red (possibility overrides included)
-- 增量 (issue 15): a cell reads only its own (年度, 期间, 部门) slice's indicators (a project that moved departments
-- touches both departments' slices in build_slice), so an incremental build replaces the touched slices' cells;
-- delete_where matches a project without a department (NULL) too.
with indicator_progress as (
    select * from {{ ref('fct_indicator_progress') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where coalesce(source.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.entity_kind = 'department' and touched.fiscal_year = source.fiscal_year
            and touched.period = source.period
            and coalesce(touched.department_code, '') = coalesce(source.department_code, '')
    )
    {% endif %}
),

departments as (
    select * from {{ ref('dim_department') }}
),

cells as (
    select
        fiscal_year,
        period,
        department_code,
        category as indicator_category,
        count(*) as indicator_count,
        count(shortfall) as reported_count,
        sum(shortfall) as shortfall_sum,
        count(case when light = 'red' then 1 end) as red_count,
        count(case when light = 'yellow' then 1 end) as yellow_count
    from indicator_progress
    where category is not null
    group by fiscal_year, period, department_code, category
),

heatmap as (
    select
        cells.fiscal_year,
        cells.period,
        cells.department_code,
        departments.department_name,
        cells.indicator_category,
        cells.indicator_count,
        cells.reported_count,
        case
            when cells.reported_count > 0
                then cast(round(cast(cells.shortfall_sum / cells.reported_count as decimal(18,8)), 4) as decimal(18,4))
        end as mean_shortfall,
        cells.red_count,
        cells.yellow_count
    from cells
    left join departments on cells.department_code = departments.department_code
)

select * from heatmap
