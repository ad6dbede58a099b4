-- materialized: incremental
-- unique_key: fiscal_year, period, department_code, indicator_category
-- delete_where: {{ in_department_slice('this') }}
-- 偏差热力图: department × indicator category per (fiscal_year, period), over the projects' monitoring indicators.
--   indicator_count    indicators submitted (reported_count: those not 未填报)
--   mean_shortfall     mean of fct_indicator_progress.shortfall over the reported ones (0 = on track, 1 = nothing done)
--   red_count          indicators lit red (possibility overrides included)
-- Read from mart_department_heatmap_cell (the same indicators summed per project light, and without one): the cells of
-- a (fiscal_year, period, department, category) added up over the lights; counts back to BIGINT (a SUM of BIGINT is
-- HUGEINT on DuckDB, NUMERIC on PostgreSQL), the mean from the summed shortfalls over the summed reported counts.
-- 增量 (issue 15): a cell reads only its own (年度, 期间, 部门) slice (a project that moved departments touches both
-- departments' slices in build_slice), so an incremental build replaces the touched slices' cells; delete_where
-- matches a project without a department (NULL) too.
{% if is_incremental() %}
-- 增量: the touched slices' cells picked by their key columns, then read by row id (DuckDB, province: the cells' scan
-- decompressed 9 columns of 296k rows for 72)
with light_cells as (
    {% by_row_id('mart_department_heatmap_cell') %}
    where {{ in_department_slice('source') }}
    {% endby_row_id %}
),
{% else %}
with light_cells as (
    select * from {{ ref('mart_department_heatmap_cell') }}
),
{% endif %}

cells as (
    select
        fiscal_year,
        period,
        department_code,
        indicator_category,
        cast(sum(indicator_count) as bigint) as indicator_count,
        cast(sum(reported_count) as bigint) as reported_count,
        sum(shortfall_sum) as shortfall_sum,
        cast(sum(red_count) as bigint) as red_count,
        cast(sum(yellow_count) as bigint) as yellow_count
    from light_cells
    group by fiscal_year, period, department_code, indicator_category
),

departments as (
    select * from {{ ref('dim_department') }}
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
