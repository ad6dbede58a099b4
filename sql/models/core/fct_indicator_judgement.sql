-- materialized: incremental
-- indexes: entity_code
-- unique_key: fiscal_year, period, entity_kind, entity_code
-- {{ evaluated_once() }} (offset 0 on PostgreSQL, nothing on DuckDB) closes expected, measured and numeric_shortfall:
-- PostgreSQL otherwise wrote progress_r's division into every condition of the warning_threshold join, about 12 times a
-- row over 3,121,524 rows × 4 bands at province scale (CREATE TABLE AS 66.8 s at load 22; 32.8 s at load 15 with it).
-- 指标监控判断 (DESIGN §3), for projects (entity_kind 'project', 附件1) and departments ('department', 表1-2):
--   expected_value  期间指标值 when given; else 年度指标值 × 序时进度 for cumulative units; else the annual target
--   progress_r      actual / expected × 100 for ≥ and = targets
--   base_light      the warning_threshold band (scope 'indicator') holding r; a zero target is green when met, else red;
--                   ≤: red when actual > target (期间指标值 when given, else 年度指标值), else green;
--                   a band result (达成 / 部分达成 / 未达成) takes the result_band light
--   light           base_light after 完成目标可能性: 完全不可能 → red whatever the numbers; 有可能 → at least yellow;
--                   'grey' when 未填报 (blank, or a text where a number is expected)
--   shortfall       the indicator's part of 偏差指数: max(0, 1 − min(1, r/100)) for ≥/=; min(1, (actual − target)/target)
--                   when a ≤ target is exceeded; the policy_setting shortfall of the band; NULL when 未填报
-- Ratios go through DECIMAL(18,8) before rounding (DuckDB divides decimals as DOUBLE).
-- Each row also carries its department_code (a project's, from dim_project; a department row's own code), so that
-- fct_indicator_light is a view of the project rows (with dim_indicator's key and category, 188 rows, joined) and the
-- department heatmap reads the rows of its departments. Issue 15, the full build at province scale:
-- fct_indicator_progress was a table copying these 3·10⁶ rows with their raw texts (DuckDB, CREATE TABLE AS alone:
-- 9.4 s for this table and 6.4 s for that copy; 10.0 s for a trial of this one that joined the indicator's columns too);
-- then this table held the texts (8.0–9.5 s); it holds the judgement only (3.8–4.1 s), and fct_indicator_progress joins
-- the texts by row (stg_monitoring_indicator_text).
-- dim_indicator is not joined here: it reads fct_monitored_indicator_names, which reads this table.
with project_indicators as (
    select * from {{ ref('stg_monitoring_indicator') }} as source
    {% if is_incremental() %}
    -- 增量: only the (年度, 期间, 部门) slices this build recomputes
    where {{ in_slice('source', 'project', 'project_code', 'period') }}
    {% endif %}
),

department_indicators as (
    select * from {{ ref('stg_dept_monitoring_indicator') }} as source
    {% if is_incremental() %}
    -- 增量: only the (年度, 期间, 部门) slices this build recomputes
    where {{ in_slice('source', 'department', 'department_code', 'period') }}
    {% endif %}
),

periods as (
    select * from {{ ref('dim_period') }}
),

projects as (
    select project_code, department_code from {{ ref('dim_project') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

indicator_bands as (
    select * from {{ ref('warning_threshold') }}
    where scope = 'indicator'
),

result_bands as (
    select * from {{ ref('result_band') }}
),

shortfall_settings as (
    select
        cast(max(case when setting = 'partial_shortfall' then value end) as decimal(18,4)) as partial_shortfall,
        cast(max(case when setting = 'unmet_shortfall' then value end) as decimal(18,4)) as unmet_shortfall
    from settings
),

indicators as (
    select
        'project' as entity_kind, project_code as entity_code, fiscal_year, period, level1, level2, level3,
        possibility, target_comparator, target_value, is_cumulative, is_qualitative,
        period_target_value, actual_value, actual_band, batch_id, source_row
    from project_indicators
    union all
    select
        'department' as entity_kind, department_code as entity_code, fiscal_year, period, level1, level2, level3,
        possibility, target_comparator, target_value, is_cumulative, is_qualitative,
        period_target_value, actual_value, actual_band, batch_id, source_row
    from department_indicators
),

expected as (
    select
        indicators.*,
        periods.schedule_rate,
        case
            when indicators.actual_value is null and indicators.actual_band is null then 'unreported'
            when indicators.actual_band is not null then 'band'
            when indicators.target_comparator = '≤' then 'at_most'
            else 'at_least'
        end as rule,
        case
            when indicators.is_qualitative then null
            when indicators.period_target_value is not null then indicators.period_target_value
            when indicators.is_cumulative
                then cast(round(cast(indicators.target_value * periods.schedule_rate as decimal(18,8)), 4) as decimal(18,4))
            else indicators.target_value
        end as expected_value,
        case
            when indicators.is_qualitative then 'qualitative'
            when indicators.period_target_value is not null then 'period_target'
            when indicators.is_cumulative then 'prorated'
            else 'annual_target'
        end as expected_basis
    from indicators
    left join periods
        on indicators.fiscal_year = periods.fiscal_year
        and indicators.period = periods.period
    {{ evaluated_once() }}
),

measured as (
    select
        expected.*,
        case
            when rule = 'at_least' and expected_value > 0
                then cast(round(cast(actual_value * 100 / expected_value as decimal(18,8)), 4) as decimal(18,4))
        end as progress_r,
        case when rule = 'at_most' then coalesce(period_target_value, target_value) end as cap_value
    from expected
    {{ evaluated_once() }}
),

numeric_shortfall as (
    select
        measured.*,
        case
            when rule = 'at_least' and expected_value > 0 then
                case
                    when progress_r >= 100 then cast(0 as decimal(18,4))
                    when progress_r <= 0 then cast(1 as decimal(18,4))
                    else cast(round(cast(1 - progress_r / 100 as decimal(18,8)), 4) as decimal(18,4))
                end
            when rule = 'at_least' then
                -- a zero (or negative) target: = is met at or below it, ≥ at or above it
                case
                    when target_comparator = '=' and actual_value <= expected_value then cast(0 as decimal(18,4))
                    when target_comparator <> '=' and actual_value >= expected_value then cast(0 as decimal(18,4))
                    else cast(1 as decimal(18,4))
                end
            when rule = 'at_most' then
                case
                    when actual_value <= cap_value then cast(0 as decimal(18,4))
                    when cap_value <= 0 then cast(1 as decimal(18,4))
                    when actual_value - cap_value >= cap_value then cast(1 as decimal(18,4))
                    else cast(round(cast((actual_value - cap_value) / cap_value as decimal(18,8)), 4) as decimal(18,4))
                end
        end as numeric_shortfall
    from measured
    {{ evaluated_once() }}
),

lit as (
    select
        numeric_shortfall.*,
        case
            when rule = 'unreported' then null
            when rule = 'band' then result_bands.light
            when rule = 'at_most' then case when numeric_shortfall > 0 then 'red' else 'green' end
            when progress_r is not null then indicator_bands.light
            else case when numeric_shortfall > 0 then 'red' else 'green' end
        end as base_light,
        case
            when rule = 'band' then
                case actual_band
                    when '达成' then cast(0 as decimal(18,4))
                    when '部分达成' then shortfall_settings.partial_shortfall
                    else shortfall_settings.unmet_shortfall
                end
            else numeric_shortfall
        end as shortfall
    from numeric_shortfall
    cross join shortfall_settings
    left join result_bands on numeric_shortfall.actual_band = result_bands.band
    left join indicator_bands
        on numeric_shortfall.progress_r is not null
        and (indicator_bands.min_r is null or numeric_shortfall.progress_r >= indicator_bands.min_r)
        and (indicator_bands.max_r is null or numeric_shortfall.progress_r < indicator_bands.max_r)
),

judged as (
    select
        lit.*,
        case
            when possibility like '%不可能%' then 'red'
            when possibility like '%有可能%' and (base_light is null or base_light in ('green', 'blue')) then 'yellow'
            when base_light is null then 'grey'
            else base_light
        end as light,
        case
            when possibility like '%不可能%' and coalesce(base_light, '') <> 'red' then '完全不可能'
            when possibility like '%有可能%' and (base_light is null or base_light in ('green', 'blue')) then '有可能'
        end as possibility_override
    from lit
),

-- the judgement and what it was judged on, not the texts as written nor the parsed columns a reader finds beside them
-- (stg_monitoring_indicator_text, by row: fct_indicator_progress joins them); each row placed in its department,
-- joined on the code alone (a department row's code matching a project's takes its own code below): with a join
-- condition that also tested judged.entity_kind, DuckDB's CREATE TABLE AS of the province had not ended after 600 s
placed as (
    select
        judged.entity_kind,
        judged.entity_code,
        case when judged.entity_kind = 'project' then projects.department_code else judged.entity_code end as department_code,
        judged.fiscal_year,
        judged.period,
        judged.level1,
        judged.level2,
        judged.level3,
        judged.possibility,
        judged.schedule_rate,
        judged.expected_value,
        judged.expected_basis,
        judged.rule,
        judged.progress_r,
        judged.base_light,
        judged.possibility_override,
        judged.light,
        judged.shortfall,
        judged.batch_id,
        judged.source_row
    from judged
    left join projects on judged.entity_code = projects.project_code
)

select * from placed
