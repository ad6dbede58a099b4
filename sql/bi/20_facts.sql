-- bi facts (事实): keys to the dimensions (period_key → dim_period, fiscal_year → dim_year, department_code →
-- dim_department, project_code → dim_project, indicator_key → dim_indicator) and the measures, the grain in each
-- view's comment. Lights are given in Chinese (红灯 / 黄灯 / 绿灯 / 蓝灯). Column comments: comments.csv.
CREATE VIEW bi.fct_project_deviation {{ barrier }} AS
select
    m.fiscal_year * 100 + p.sort_order as period_key,
    m.fiscal_year,
    m.period,
    m.department_code,
    m.project_code,
    m.budget,
    m.executed,
    m.execution_rate,
    m.schedule_rate,
    m.execution_progress,
    {{ light('m.execution_warning') }} as execution_light,
    {{ light('m.warning') }} as light,
    m.indicator_count,
    m.reported_indicator_count,
    m.red_indicator_count,
    m.mean_shortfall,
    m.deviation_index,
    m.deviation_rank
from {{ ref('mart_project_deviation') }} m
left join {{ ref('period') }} p on p.period = m.period
where {{ visible('m.department_code') }};

CREATE VIEW bi.fct_indicator_progress {{ barrier }} AS
select
    m.fiscal_year * 100 + p.sort_order as period_key,
    m.fiscal_year,
    m.period,
    m.stage,
    m.department_code,
    m.project_code,
    m.indicator_key,
    m.category,
    m.annual_target,
    m.target_value,
    m.target_unit,
    m.period_actual,
    m.actual_value,
    m.expected_value,
    m.progress_r,
    {{ light('m.light') }} as light,
    m.shortfall,
    m.weight,
    m.recomputed_score,
    m.published_score
from {{ ref('mart_indicator_derivation') }} m
left join {{ ref('period') }} p on p.period = m.period
where {{ visible('m.department_code') }};

CREATE VIEW bi.fct_department_heatmap {{ barrier }} AS
select
    m.fiscal_year * 100 + p.sort_order as period_key,
    m.fiscal_year,
    m.period,
    m.department_code,
    m.indicator_category,
    m.indicator_count,
    m.reported_count,
    m.mean_shortfall,
    m.red_count,
    m.yellow_count
from {{ ref('mart_department_heatmap') }} m
left join {{ ref('period') }} p on p.period = m.period
where {{ visible('m.department_code') }};

CREATE VIEW bi.fct_trend {{ barrier }} AS
select
    m.fiscal_year * 100 + p.sort_order as period_key,
    m.fiscal_year,
    m.period,
    p.sort_order as period_sort_order,
    m.department_code,
    m.project_count,
    m.budget,
    m.executed,
    m.execution_rate,
    m.schedule_rate,
    m.red_count,
    m.yellow_count,
    m.green_count,
    m.deviation_index,
    m.grade_excellent_count,
    m.grade_good_count,
    m.grade_fair_count,
    m.grade_poor_count,
    m.grade_unrated_count
from {{ ref('mart_trends') }} m
left join {{ ref('period') }} p on p.period = m.period
where {{ visible('m.department_code') }};

CREATE VIEW bi.fct_project_grade {{ barrier }} AS
select
    m.fiscal_year,
    m.department_code,
    m.project_code,
    m.budget,
    m.executed,
    m.execution_rate,
    m.budget_score,
    m.indicator_score,
    m.recomputed_score,
    m.published_score,
    m.score_gap,
    case when m.has_score_gap then '是' when not m.has_score_gap then '否' end as has_score_gap,
    m.grade,
    m.flags
from {{ ref('mart_project_grade') }} m
where {{ visible('m.department_code') }};

CREATE VIEW bi.fct_department_grade {{ barrier }} AS
select
    m.fiscal_year,
    m.department_code,
    m.budget,
    m.executed,
    m.execution_rate,
    m.budget_score,
    m.indicator_score,
    m.recomputed_score,
    m.published_score,
    m.score_gap,
    case when m.has_score_gap then '是' when not m.has_score_gap then '否' end as has_score_gap,
    m.grade,
    m.score_rank,
    m.flags
from {{ ref('mart_department_grade') }} m
where {{ visible('m.department_code') }};

CREATE VIEW bi.fct_cut_candidate {{ barrier }} AS
select
    m.fiscal_year,
    m.department_code,
    m.project_code,
    m.flag,
    m.suggested_change_pct,
    m.amount,
    m.reason,
    m.basis
from {{ ref('mart_cut_candidates') }} m
where {{ visible('m.department_code') }};
