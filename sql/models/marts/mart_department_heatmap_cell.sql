-- materialized: incremental
-- unique_key: fiscal_year, period, department_code, indicator_category, project_warning
-- delete_where: {{ in_department_slice('this') }}
-- 偏差热力图的单元 (issue 15, the full build at province scale): the projects' monitoring indicators of a (fiscal_year,
-- period) summed once per department × indicator category × project light, so that mart_department_heatmap (all
-- lights together) and mart_department_heatmap_light (one light) are both read from here instead of each scanning the
-- ≈3·10⁶ indicators of fct_indicator_judgement (its project rows, fct_indicator_progress's).
--   project_warning    the light of the indicator's project in the same (fiscal_year, period) (mart_project_deviation
--                      .warning: red / yellow / green / blue); NULL when the project has no light there (no row in
--                      mart_project_deviation, or no warning): such indicators count in the heatmap, not in a light
--   indicator_count, reported_count, red_count, yellow_count   counts; shortfall_sum  Σ shortfall over the reported ones
-- Sums and counts only: the means are taken from the sums of the cells a mart puts together.
-- 增量: a cell reads only its own (年度, 期间, 部门) slice's indicators, as mart_department_heatmap.
{% if is_incremental() %}
-- 增量: the touched slices' indicators picked by their key columns, then read by row id
with project_indicators as (
    {% by_row_id('fct_indicator_judgement') %}
    -- the slice's projects first, by the table's index on entity_code (PostgreSQL scanned all ≈3·10⁶ rows for the
    -- departments: 0.35–0.6 s a pass at province scale): a touched slice's projects are all in build_slice (every
    -- project its department holds, the department being the project's, dim_project's, as in fct_indicator_judgement);
    -- then the slice's departments and the EXISTS (in_department_slice), which decide
    where source.entity_kind = 'project'
    and source.entity_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    and {{ in_department_slice('source') }}
    {% endby_row_id %}
),
{% else %}
with project_indicators as (
    select * from {{ ref('fct_indicator_judgement') }}
    where entity_kind = 'project'
),
{% endif %}

indicators as (
    select level1, level2, level3, category from {{ ref('dim_indicator') }}
),

project_lights as (
    select fiscal_year, period, project_code, warning from {{ ref('mart_project_deviation_base') }}
),

cells as (
    select
        project_indicators.fiscal_year,
        project_indicators.period,
        project_indicators.department_code,
        indicators.category as indicator_category,
        project_lights.warning as project_warning,
        count(*) as indicator_count,
        count(project_indicators.shortfall) as reported_count,
        sum(project_indicators.shortfall) as shortfall_sum,
        count(case when project_indicators.light = 'red' then 1 end) as red_count,
        count(case when project_indicators.light = 'yellow' then 1 end) as yellow_count
    from project_indicators
    left join indicators
        on project_indicators.level1 = indicators.level1
        and project_indicators.level2 = indicators.level2
        and project_indicators.level3 = indicators.level3
    left join project_lights
        on project_lights.fiscal_year = project_indicators.fiscal_year
        and project_lights.period = project_indicators.period
        and project_lights.project_code = project_indicators.entity_code
    where indicators.category is not null
    group by project_indicators.fiscal_year, project_indicators.period, project_indicators.department_code,
        indicators.category, project_lights.warning
)

select * from cells
