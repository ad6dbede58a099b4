-- materialized: incremental
-- unique_key: fiscal_year, period, department_code, indicator_category, project_warning
-- delete_where: {{ in_department_slice('this') }}
-- 偏差热力图 by project light (issue 15, readers at province scale): mart_department_heatmap's cells split by the light
-- of the indicator's project in the same (fiscal_year, period) (mart_project_deviation.warning), so that 总览 cross-
-- filtered by a light (交叉筛选 红灯, issue 17) reads ≈10⁵ cells instead of summing the ≈3·10⁶ indicators of the period.
--   project_warning    the project's light: red / yellow / green / blue
--   department_name, indicator_count, reported_count, mean_shortfall, red_count, yellow_count
--                      as in mart_department_heatmap, over the indicators of the projects of that light only
--   shortfall_sum      Σ fct_indicator_progress.shortfall over the reported indicators
-- Indicators of a project without a row in mart_project_deviation have no light and are left out (no light filter
-- can name them). The cells are mart_department_heatmap_cell's (summed there once for both heatmaps), those with a light.
-- 增量: a cell reads only its own (年度, 期间, 部门) slice, as mart_department_heatmap.
{% if is_incremental() %}
-- 增量: the touched slices' cells picked by their key columns, then read by row id (DuckDB, province: 0.22 → 0.05 s of
-- CPU for 72 of 296k cells)
with cells as (
    {% by_row_id('mart_department_heatmap_cell') %}
    where {{ in_department_slice('source') }}
    {% endby_row_id %}
    and source.project_warning is not null
),
{% else %}
with cells as (
    select * from {{ ref('mart_department_heatmap_cell') }} as source
    where source.project_warning is not null
),
{% endif %}

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
        cells.project_warning,
        cells.indicator_count,
        cells.reported_count,
        cells.shortfall_sum,
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
