-- materialized: incremental
-- unique_key: fiscal_year, period, entity_kind, entity_code
-- 指标汇总 per entity (project or department) and (fiscal_year, period), from fct_indicator_judgement:
-- how many indicators, how many reported (未填报 have no shortfall), how many red, the mean shortfall over the
-- reported ones (the indicator half of 偏差指数) and the worst indicator light as its warning_threshold severity.
-- Shared by mart_project_deviation and mart_department_ranking.
{% if is_incremental() %}
-- 增量: only the (年度, 期间, 部门) slices this build recomputes, picked by their key columns, then read by row id
with judgements as (
    {% by_row_id('fct_indicator_judgement') %}
    where {{ in_slice('source', 'entity_kind', 'entity_code', 'period') }}
    {% endby_row_id %}
),
{% else %}
with judgements as (
    select * from {{ ref('fct_indicator_judgement') }}
),
{% endif %}

light_severities as (
    select light, max(severity) as severity
    from {{ ref('warning_threshold') }}
    group by light
),

summed as (
    select
        judgements.entity_kind,
        judgements.entity_code,
        judgements.fiscal_year,
        judgements.period,
        count(*) as indicator_count,
        count(judgements.shortfall) as reported_indicator_count,
        count(case when judgements.light = 'red' then 1 end) as red_indicator_count,
        sum(judgements.shortfall) as shortfall_sum,
        max(light_severities.severity) as worst_indicator_severity
    from judgements
    left join light_severities on judgements.light = light_severities.light
    group by judgements.entity_kind, judgements.entity_code, judgements.fiscal_year, judgements.period
),

averaged as (
    select
        summed.*,
        case
            when reported_indicator_count > 0
                then cast(round(cast(shortfall_sum / reported_indicator_count as decimal(18,8)), 4) as decimal(18,4))
        end as mean_shortfall
    from summed
)

select * from averaged
