-- materialized: view
-- 指标推导 (explainability): for each project, fiscal_year and monitoring period, every indicator with the target and
-- the actual as submitted and as parsed, the expected value (期间应完成), progress r, light and shortfall of
-- fct_indicator_progress, and the year-end self-evaluation of the same indicator (fct_self_evaluation, joined on
-- level1/level2/level3): weight (分值), recomputed and published 得分, and the scoring branch applied. Each rule is
-- spelled out in Chinese (progress_rule, expected_rule, override_rule, score_rule) so a reader can redo the sums.
-- completion_percent (完成年度目标值 %), deviation_percent (偏差率 %) and deviation_direction (超前 / 滞后 / 符合序时进度)
-- are the figures of 附件4's sentence and of the prefilled 纠偏表; reports only format them.
-- A self-evaluated indicator that was never monitored in that year gets one row with period '自评' (stage 自评).
-- Grain: (fiscal_year, period, project_code, level1, level2, level3).
-- A view (issue 15, the full build at province scale): its rows are fct_indicator_progress's, each with a few CASEs and
-- the project's name beside it, and writing them again as a 2.9M-row table of 60 columns was ~11 of the DuckDB full
-- build's ~47 CPU-s (a string value costs DuckDB ~0.1 µs to write whatever its compression), against ~1 CPU-s to
-- compute them all. Its readers ask for one project (the project page, the reports: fct_indicator_progress read by
-- project_code, indexed on PostgreSQL) or are the bi view and the data tests; mart_indicator_correction reads
-- fct_indicator_judgement itself, so that its incremental read of the touched slices stays a filtered table read.
with indicator_progress as (
    select * from {{ ref('fct_indicator_progress') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

score_settings as (
    select
        cast(max(case when setting = 'partial_score_factor' then value end) as decimal(18,1)) as partial_factor,
        cast(max(case when setting = 'unmet_score_factor' then value end) as decimal(18,1)) as unmet_factor,
        coalesce(max(case when setting = 'at_most_double_rule' then lower(trim(value)) end), 'zero') as at_most_double_rule
    from settings
),

-- fct_self_evaluation ("scored") is named in each of the two joins below, not as a CTE read twice: DuckDB materialises
-- such a CTE, and a reader of the view then computed every one of its columns for the 2.9M rows (a data test of
-- project_code alone: 1.5 CPU-s instead of 0.2). The score settings are crossed in after the joins (derivation).
monitored as (
    select
        indicator_progress.*,
        case
            when rule = 'unreported' then '未填报：不计入偏差指数（灰灯）'
            when rule = 'band' then '定性：达成 绿 / 部分达成 黄 / 未达成 红'
            when rule = 'at_most' then '≤ 目标：实际 ≤ 上限 绿，超出 红；缺口 = (实际 − 上限)/上限'
            when rule = 'at_least' and expected_value > 0
                then coalesce(target_comparator, '≥') || ' 目标：r = 实际/期间应完成 ×100'
            when rule = 'at_least' and target_comparator = '=' then '目标为 0：实际 ≤ 0 绿，否则 红'
            when rule = 'at_least' then '目标为 0：实际 ≥ 0 绿，否则 红'
        end as progress_rule,
        case expected_basis
            when 'period_target' then '期间应完成 = 期间指标值'
            when 'prorated' then '期间应完成 = 年度指标值 × 序时进度（累计类）'
            when 'annual_target' then '期间应完成 = 年度指标值（比率、评分类不按序时折算）'
            when 'qualitative' then '定性指标：按完成档次判断'
        end as expected_rule,
        case possibility_override
            when '完全不可能' then '完成目标可能性 完全不可能 → 红灯'
            when '有可能' then '完成目标可能性 有可能 → 至少黄灯'
        end as override_rule
    from indicator_progress
),

monitoring_rows as (
    select
        monitored.fiscal_year,
        monitored.period,
        '监控' as stage,
        monitored.project_code,
        monitored.department_code,
        monitored.indicator_key,
        monitored.level1,
        monitored.level2,
        monitored.level3,
        monitored.category,
        monitored.comparator,
        monitored.annual_target,
        monitored.unit,
        monitored.target_comparator,
        monitored.target_value,
        monitored.target_unit,
        monitored.is_cumulative,
        monitored.is_qualitative,
        monitored.period_target,
        monitored.period_target_value,
        monitored.period_actual,
        monitored.forecast_actual,
        monitored.actual_value,
        monitored.actual_band,
        monitored.schedule_rate,
        monitored.expected_value,
        monitored.expected_basis,
        monitored.rule as progress_rule_code,
        monitored.progress_r,
        monitored.base_light,
        monitored.possibility,
        monitored.possibility_override,
        monitored.light,
        monitored.shortfall,
        monitored.deviation_causes,
        monitored.cause_note,
        monitored.improvement,
        monitored.progress_rule,
        monitored.expected_rule,
        monitored.override_rule,
        scored.annual_target as score_target,
        scored.target_value as score_target_value,
        scored.actual as score_actual,
        scored.actual_value as score_actual_value,
        scored.actual_band as score_actual_band,
        scored.weight,
        scored.recomputed_score,
        scored.published_score,
        scored.published_band_mismatch,
        scored.rule as score_rule_code,
        scored.target_comparator as score_target_comparator,
        monitored.batch_id,
        monitored.source_row
    from monitored
    left join {{ ref('fct_self_evaluation') }} as scored
        on monitored.fiscal_year = scored.fiscal_year
        and monitored.project_code = scored.project_code
        and monitored.level1 = scored.level1
        and monitored.level2 = scored.level2
        and monitored.level3 = scored.level3
),

unmonitored_rows as (
    select
        scored.fiscal_year,
        '自评' as period,
        '自评' as stage,
        scored.project_code,
        scored.department_code,
        scored.indicator_key,
        scored.level1,
        scored.level2,
        scored.level3,
        scored.category,
        scored.comparator,
        scored.annual_target,
        scored.unit,
        scored.target_comparator,
        scored.target_value,
        scored.target_unit,
        cast(null as boolean) as is_cumulative,
        scored.is_qualitative,
        cast(null as varchar) as period_target,
        cast(null as decimal(18,4)) as period_target_value,
        scored.actual as period_actual,
        cast(null as varchar) as forecast_actual,
        scored.actual_value,
        scored.actual_band,
        cast(null as decimal(18,4)) as schedule_rate,
        cast(null as decimal(18,4)) as expected_value,
        cast(null as varchar) as expected_basis,
        cast(null as varchar) as progress_rule_code,
        cast(null as decimal(18,4)) as progress_r,
        cast(null as varchar) as base_light,
        cast(null as varchar) as possibility,
        cast(null as varchar) as possibility_override,
        cast(null as varchar) as light,
        cast(null as decimal(18,4)) as shortfall,
        cast(null as varchar) as deviation_causes,
        scored.deviation_note as cause_note,
        cast(null as varchar) as improvement,
        cast(null as varchar) as progress_rule,
        cast(null as varchar) as expected_rule,
        cast(null as varchar) as override_rule,
        scored.annual_target as score_target,
        scored.target_value as score_target_value,
        scored.actual as score_actual,
        scored.actual_value as score_actual_value,
        scored.actual_band as score_actual_band,
        scored.weight,
        scored.recomputed_score,
        scored.published_score,
        scored.published_band_mismatch,
        scored.rule as score_rule_code,
        scored.target_comparator as score_target_comparator,
        scored.batch_id,
        scored.source_row
    from {{ ref('fct_self_evaluation') }} as scored
    -- the monitored indicators' rows (fct_indicator_light: fct_indicator_progress's rows without the texts' join)
    where not exists (
        select 1 from {{ ref('fct_indicator_light') }} as monitored
        where monitored.fiscal_year = scored.fiscal_year
            and monitored.project_code = scored.project_code
            and monitored.level1 = scored.level1
            and monitored.level2 = scored.level2
            and monitored.level3 = scored.level3
    )
),

derivation_rows as (
    select * from monitoring_rows
    union all
    select * from unmonitored_rows
),

derivation as (
    select
        derivation_rows.fiscal_year,
        derivation_rows.period,
        cast(coalesce(periods.sort_order, 999) as integer) as period_sort,
        derivation_rows.stage,
        derivation_rows.project_code,
        projects.project_name,
        derivation_rows.department_code,
        derivation_rows.indicator_key,
        derivation_rows.level1,
        derivation_rows.level2,
        derivation_rows.level3,
        derivation_rows.category,
        derivation_rows.comparator,
        derivation_rows.annual_target,
        derivation_rows.unit,
        derivation_rows.target_comparator,
        derivation_rows.target_value,
        derivation_rows.target_unit,
        derivation_rows.is_cumulative,
        derivation_rows.is_qualitative,
        derivation_rows.period_target,
        derivation_rows.period_target_value,
        derivation_rows.period_actual,
        derivation_rows.forecast_actual,
        derivation_rows.actual_value,
        derivation_rows.actual_band,
        derivation_rows.schedule_rate,
        derivation_rows.expected_value,
        derivation_rows.expected_basis,
        derivation_rows.progress_rule_code,
        derivation_rows.progress_r,
        derivation_rows.base_light,
        derivation_rows.possibility,
        derivation_rows.possibility_override,
        derivation_rows.light,
        derivation_rows.shortfall,
        derivation_rows.deviation_causes,
        derivation_rows.cause_note,
        derivation_rows.improvement,
        derivation_rows.progress_rule,
        derivation_rows.expected_rule,
        derivation_rows.override_rule,
        derivation_rows.score_target,
        derivation_rows.score_target_value,
        derivation_rows.score_actual,
        derivation_rows.score_actual_value,
        derivation_rows.score_actual_band,
        derivation_rows.weight,
        derivation_rows.recomputed_score,
        derivation_rows.published_score,
        case
            when derivation_rows.recomputed_score is not null and derivation_rows.published_score is not null
                then cast(derivation_rows.recomputed_score - derivation_rows.published_score as decimal(18,4))
        end as score_gap,
        derivation_rows.published_band_mismatch,
        derivation_rows.score_rule_code,
        case
            when derivation_rows.score_rule_code = 'unreported' then '未填报：不计分，项目未评'
            when derivation_rows.score_rule_code = 'band' and derivation_rows.score_actual_band = '达成' then '定性 达成：得分 = 分值'
            when derivation_rows.score_rule_code = 'band' and derivation_rows.score_actual_band = '部分达成'
                then '定性 部分达成：得分 = 分值 × ' || cast(score_settings.partial_factor as varchar)
            when derivation_rows.score_rule_code = 'band' then '定性 未达成：得分 = 分值 × ' || cast(score_settings.unmet_factor as varchar)
            when derivation_rows.score_rule_code = 'at_least' and derivation_rows.score_target_value = 0 and derivation_rows.score_target_comparator = '='
                then '= 0 目标：B ≤ 0 得满分，否则 0'
            when derivation_rows.score_rule_code = 'at_least' and derivation_rows.score_target_value = 0 then '≥ 0 目标：B ≥ 0 得满分，否则 0'
            when derivation_rows.score_rule_code = 'at_least' and derivation_rows.score_actual_value >= derivation_rows.score_target_value
                then coalesce(derivation_rows.score_target_comparator, '≥') || ' 目标：B ≥ A，得满分'
            when derivation_rows.score_rule_code = 'at_least' and (derivation_rows.score_target_value < 0 or derivation_rows.score_actual_value <= 0)
                then coalesce(derivation_rows.score_target_comparator, '≥') || ' 目标：B ≤ 0（或 A < 0），得 0'
            when derivation_rows.score_rule_code = 'at_least' then coalesce(derivation_rows.score_target_comparator, '≥') || ' 目标：B < A，得分 = 分值 × B/A'
            when derivation_rows.score_rule_code = 'at_most' and derivation_rows.score_actual_value <= derivation_rows.score_target_value then '≤ 目标：B ≤ A，得满分'
            when derivation_rows.score_rule_code = 'at_most' and derivation_rows.score_target_value <= 0 then '≤ 目标：A ≤ 0 且 B > A，得 0'
            when derivation_rows.score_rule_code = 'at_most' and derivation_rows.score_actual_value >= 2 * derivation_rows.score_target_value and score_settings.at_most_double_rule = 'ratio'
                then '≤ 目标：B ≥ 2A，得分 = 分值 × A/B'
            when derivation_rows.score_rule_code = 'at_most' and derivation_rows.score_actual_value >= 2 * derivation_rows.score_target_value then '≤ 目标：B ≥ 2A，得 0'
            when derivation_rows.score_rule_code = 'at_most' then '≤ 目标：A < B < 2A，得分 = 分值 × (1 − (B − A)/A)'
        end as score_rule,
        derivation_rows.batch_id,
        derivation_rows.source_row
    from derivation_rows
    cross join score_settings
    left join projects on derivation_rows.project_code = projects.project_code
    left join periods
        on derivation_rows.fiscal_year = periods.fiscal_year
        and derivation_rows.period = periods.period
),

-- 附件4 四、绩效目标情况及分析 (杭锦旗 运行监控管理办法): 完成年度目标值 = 实际 / 年度指标值, 偏差率 = (实际 − 期间应完成) /
-- 期间应完成, both as percentages to one place (half away from zero); 超前 when the actual is ahead of the expected value
-- (above it, or below it for a ≤ target, an upper limit), 滞后 behind it, 符合序时进度 when 偏差率 rounds to 0.0.
percentages as (
    select
        derivation.*,
        case
            when actual_value is not null and target_value <> 0
                then cast(round(cast(100 * actual_value / target_value as decimal(18,8)), 1) as decimal(18,1))
        end as completion_percent,
        case
            when actual_value is not null and expected_value <> 0
                then cast(round(cast(100 * (actual_value - expected_value) / expected_value as decimal(18,8)), 1) as decimal(18,1))
        end as deviation_percent
    from derivation
),

directed as (
    select
        percentages.*,
        case
            when deviation_percent is null then null
            when deviation_percent = 0 then '符合序时进度'
            when target_comparator = '≤' then case when deviation_percent < 0 then '超前' else '滞后' end
            when deviation_percent > 0 then '超前'
            else '滞后'
        end as deviation_direction
    from percentages
)

select * from directed
