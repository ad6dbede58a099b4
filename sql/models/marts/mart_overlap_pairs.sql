-- materialized: incremental
-- unique_key: fiscal_year, project_a, project_b
-- reads_other_entities: true
-- delete_where: exists (select 1 from {{ ref('build_slice') }} as k where k.entity_kind = 'project' and k.fiscal_year = {{ this }}.fiscal_year and (k.project_code = {{ this }}.project_a or k.project_code = {{ this }}.project_b))
-- 交叉重复 candidates (杭锦旗 办法 第四条：交叉重复、碎片化的政策和项目予以调整): pairs of projects of two different departments in the same year
-- and the same budget jurisdiction (the same 县, or 市本级 / 省本级: dim_department.county_code), whose forms say they
-- fund the same thing. A pair is compared when its normalised names are equal or its 年度总体目标 are; it is a
-- candidate when at least overlap_min_content_matches of the four content checks hold — the name alone never counts:
--   goal_match          年度总体目标 equal after dropping punctuation and spaces
--   indicator_match     the 三级指标 names overlap: shared / union ≥ overlap_indicator_share (0.8)
--   unit_match          the same 实施单位
--   beneficiary_match   the same 服务对象 (the 满意度指标 names, e.g. 受益群众满意度)
-- Projects whose name holds one of overlap_recurring_items (网站运维, 业务培训, 督查检查 …: the operating items every
-- department has) are never compared. The policy options are 管理员-editable (政策参数).
-- 增量 (issue 15): a pair's row reads only its two projects' year (dim_project, dim_department, their fund lines,
-- grades and indicator names) and the policy, so an incremental build deletes the pairs with either side among the
-- touched projects of build_slice (delete_where above) and compares only those projects, within their own
-- jurisdictions, with every project there; pairs of two untouched projects stay as they are. The features (name and
-- goal keys, unit) are computed for those jurisdictions' projects only, and the indicator names for the blocked
-- pairs' projects only (fct_indicator_judgement's rows of those projects). A policy change makes
-- the model stale (recomputed in full). The partner's indicator names are read too, so the staging views are not
-- narrowed to the touched slices' batches (reads_other_entities above).
with departments as (
    select * from {{ ref('dim_department') }}
),

execution as (
    select * from {{ ref('fct_budget_execution') }}
),

grades as (
    select * from {{ ref('mart_project_grade') }}
),

selfeval_indicators as (
    select * from {{ ref('stg_selfeval_indicator') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

policy as (
    select
        max(case when setting = 'overlap_recurring_items' then value end) as recurring_items,
        cast(max(case when setting = 'overlap_indicator_share' then value end) as decimal(18,4)) as indicator_share,
        cast(max(case when setting = 'overlap_min_content_matches' then value end) as integer) as min_matches
    from settings
),

item_positions as (
    select n from generate_series(1, 100) as positions(n)
),

recurring_items as (
    select distinct trim(split_part(policy.recurring_items, '、', item_positions.n)) as item
    from policy
    cross join item_positions
    where trim(split_part(policy.recurring_items, '、', item_positions.n)) <> ''
),

{% if is_incremental() %}
touched as (
    select distinct fiscal_year, project_code
    from {{ ref('build_slice') }}
    where entity_kind = 'project'
),

-- the (年度, 辖区) a touched project is in: a pair never crosses one, so the features below are computed for the projects
-- of these jurisdictions only (about 1,500 of 200,000 a year at province scale: 133 jurisdictions), before the name and
-- goal keys' regular expressions and the distinct over fct_budget_execution, which each pass used to run for every project
-- (dim_project named directly here: its CTE read three times would be materialised whole, long texts and all)
touched_jurisdictions as (
    select distinct touched.fiscal_year, departments.county_code as jurisdiction
    from touched
    inner join {{ ref('dim_project') }} as touched_projects on touched.project_code = touched_projects.project_code
    inner join departments on touched_projects.department_code = departments.department_code
),

scoped_projects as (
    select scoped.project_code, {{ row_id('scoped') }} as row_id
    from {{ ref('dim_project') }} as scoped
    inner join departments on scoped.department_code = departments.department_code
    where departments.county_code in (select jurisdiction from touched_jurisdictions)
),

{% endif %}
projects as (
    select * from {{ ref('dim_project') }} as source
    {% if is_incremental() %}
    -- the scoped jurisdictions' projects by row id: their names and goals are long texts, and a filter on the scan
    -- decompressed them for every project of the province first. Written out rather than {% by_row_id %}: the scoped
    -- codes are read twice more below, and reading them from this CTE made PostgreSQL materialise it, long texts and
    -- all, and spend 2.4–3.0 s of a 200-upload burst's pass on this model where it takes 0.2–0.5 s (issue 15)
    where {{ row_id('source') }} in (select row_id from scoped_projects)
    {% endif %}
),

project_years as (
    select distinct fiscal_year, project_code from execution
    {% if is_incremental() %}
    where project_code in (select project_code from scoped_projects)
    {% endif %}
    union
    select fiscal_year, project_code from grades
    {% if is_incremental() %}
    where project_code in (select project_code from scoped_projects)
    {% endif %}
),

features as (
    select
        project_years.fiscal_year,
        project_years.project_code,
        projects.project_name,
        projects.department_code,
        departments.county_code as jurisdiction,
        projects.implementing_unit,
        replace(replace(replace(replace(replace(
            regexp_replace(regexp_replace(projects.project_name, '[（(][^）)]*[）)]', '', 'g'), '^[0-9]{4}年(度)?', '', 'g'),
            '项目', ''), '专项', ''), '经费', ''), '资金', ''), '补助', '') as name_key,
        regexp_replace(coalesce(projects.annual_goal, ''), '[，。；、：:;,.！!？?“”"（）()\s]', '', 'g') as goal_key
    from project_years
    inner join projects on project_years.project_code = projects.project_code
    inner join departments on projects.department_code = departments.department_code
    {% if is_incremental() %}
    -- only the years a touched project of the jurisdiction is touched in
    where exists (
        select 1 from touched_jurisdictions
        where touched_jurisdictions.fiscal_year = project_years.fiscal_year
            and touched_jurisdictions.jurisdiction = departments.county_code
    )
    {% endif %}
),

compared as (
    select features.*
    from features
    where not exists (
        select 1 from recurring_items where strpos(features.project_name, recurring_items.item) > 0
    )
),

-- each pair carries both projects' features from here on: joining compared twice again after this (a and b only through
-- blocked) let DuckDB join a with b on fiscal_year alone when it misjudged the row counts — inside a build's
-- transaction DuckDB 1.5 estimates 0 rows for every table the transaction created (duckdb PR #21573), and that
-- 200,000 × 200,000 join per year ran for minutes
blocked as (
    select
        a.fiscal_year, a.project_code as project_a, b.project_code as project_b,
        a.project_name as name_a, b.project_name as name_b, a.department_code as department_a, b.department_code as department_b,
        a.jurisdiction, a.name_key = b.name_key as name_match, a.goal_key = b.goal_key and length(a.goal_key) >= 10 as goal_match,
        a.implementing_unit is not null and a.implementing_unit = b.implementing_unit as unit_match
    from compared as a
    inner join compared as b
        on a.fiscal_year = b.fiscal_year
        and a.jurisdiction = b.jurisdiction
        and a.name_key = b.name_key
        and a.department_code <> b.department_code
        and a.project_code < b.project_code
    where length(a.name_key) >= 2
    {% if is_incremental() %}
    and (a.project_code in (select project_code from touched where touched.fiscal_year = a.fiscal_year)
        or b.project_code in (select project_code from touched where touched.fiscal_year = b.fiscal_year))
    {% endif %}
    union
    select
        a.fiscal_year, a.project_code as project_a, b.project_code as project_b,
        a.project_name as name_a, b.project_name as name_b, a.department_code as department_a, b.department_code as department_b,
        a.jurisdiction, a.name_key = b.name_key as name_match, a.goal_key = b.goal_key and length(a.goal_key) >= 10 as goal_match,
        a.implementing_unit is not null and a.implementing_unit = b.implementing_unit as unit_match
    from compared as a
    inner join compared as b
        on a.fiscal_year = b.fiscal_year
        and a.jurisdiction = b.jurisdiction
        and a.goal_key = b.goal_key
        and a.department_code <> b.department_code
        and a.project_code < b.project_code
    where length(a.goal_key) >= 10
    {% if is_incremental() %}
    and (a.project_code in (select project_code from touched where touched.fiscal_year = a.fiscal_year)
        or b.project_code in (select project_code from touched where touched.fiscal_year = b.fiscal_year))
    {% endif %}
),

-- the indicator names of the blocked pairs' projects only (a few thousand of ~200,000 a year at province scale): the
-- monitoring indicators are millions of rows, and PostgreSQL materialises a CTE read twice, so it is narrowed here
blocked_projects as (
    select fiscal_year, project_a as project_code from blocked
    union
    select fiscal_year, project_b as project_code from blocked
),

-- their monitored indicators' names from fct_indicator_judgement (one row per row of stg_monitoring_indicator: the
-- current batch of each (年度, 期间, 项目), names trimmed), read by project: DuckDB prunes the table's row groups by the
-- projects' code range, PostgreSQL probes its entity_code index (ModelIndexes) for each of the few hundred projects.
-- Before (issue 15) the raw rows of the projects' current batches were joined on trim(project_code), which no zone map
-- can prune: a province's first load is one batch of 2.9M rows, read whole in every pass (DuckDB 0.25–0.5 s of 0.35–0.6 s)
indicator_names as (
    select distinct judgement.fiscal_year, judgement.entity_code as project_code, judgement.level1, judgement.level3
    from {{ ref('fct_indicator_judgement') }} as judgement
    inner join blocked_projects
        on judgement.fiscal_year = blocked_projects.fiscal_year
        and judgement.entity_code = blocked_projects.project_code
    where judgement.entity_kind = 'project'
    union
    select distinct selfeval_indicators.fiscal_year, selfeval_indicators.project_code,
        selfeval_indicators.level1, selfeval_indicators.level3
    from selfeval_indicators
    inner join blocked_projects
        on selfeval_indicators.fiscal_year = blocked_projects.fiscal_year
        and selfeval_indicators.project_code = blocked_projects.project_code
),

pair_indicators as (
    select blocked.fiscal_year, blocked.project_a, blocked.project_b, 'a' as side, indicator_names.level1, indicator_names.level3
    from blocked
    inner join indicator_names
        on blocked.fiscal_year = indicator_names.fiscal_year and blocked.project_a = indicator_names.project_code
    union all
    select blocked.fiscal_year, blocked.project_a, blocked.project_b, 'b' as side, indicator_names.level1, indicator_names.level3
    from blocked
    inner join indicator_names
        on blocked.fiscal_year = indicator_names.fiscal_year and blocked.project_b = indicator_names.project_code
),

indicator_counts as (
    select
        fiscal_year, project_a, project_b, level3,
        max(case when level1 like '满意度%' then 1 else 0 end) as is_beneficiary,
        count(distinct side) as sides
    from pair_indicators
    group by fiscal_year, project_a, project_b, level3
),

indicator_overlap as (
    select
        fiscal_year, project_a, project_b,
        sum(case when sides = 2 then 1 else 0 end) as shared_indicators,
        count(*) as union_indicators,
        sum(case when is_beneficiary = 1 and sides = 2 then 1 else 0 end) as shared_beneficiaries,
        sum(is_beneficiary) as union_beneficiaries,
        min(case when sides = 2 and is_beneficiary = 1 then level3 end) as beneficiary
    from indicator_counts
    group by fiscal_year, project_a, project_b
),

checked as (
    select
        blocked.fiscal_year,
        blocked.project_a,
        blocked.project_b,
        blocked.name_a,
        blocked.name_b,
        blocked.department_a,
        blocked.department_b,
        blocked.jurisdiction,
        blocked.name_match,
        blocked.goal_match,
        coalesce(overlap.shared_indicators, 0) as shared_indicators,
        coalesce(overlap.union_indicators, 0) as union_indicators,
        coalesce(overlap.union_indicators, 0) > 0
            and cast(overlap.shared_indicators as decimal(18,4)) >= policy.indicator_share * overlap.union_indicators
            as indicator_match,
        blocked.unit_match,
        coalesce(overlap.union_beneficiaries, 0) > 0
            and overlap.shared_beneficiaries = overlap.union_beneficiaries as beneficiary_match,
        overlap.beneficiary,
        policy.min_matches
    from blocked
    left join indicator_overlap as overlap
        on blocked.fiscal_year = overlap.fiscal_year
        and blocked.project_a = overlap.project_a
        and blocked.project_b = overlap.project_b
    cross join policy
),

scored as (
    select
        checked.*,
        (case when goal_match then 1 else 0 end) + (case when indicator_match then 1 else 0 end)
            + (case when unit_match then 1 else 0 end) + (case when beneficiary_match then 1 else 0 end) as content_matches
    from checked
),

candidates as (
    select
        fiscal_year, project_a, project_b, name_a, name_b, department_a, department_b, jurisdiction,
        name_match, goal_match, indicator_match, unit_match, beneficiary_match,
        shared_indicators, union_indicators, beneficiary, content_matches,
        trim(
            case when name_match then '名称相近 ' else '' end
            || case when goal_match then '年度总体目标一致 ' else '' end
            || case when indicator_match
                    then '绩效指标重合 ' || cast(shared_indicators as varchar) || '/' || cast(union_indicators as varchar) || ' '
                    else '' end
            || case when unit_match then '实施单位相同 ' else '' end
            || case when beneficiary_match then '受益对象相同（' || coalesce(beneficiary, '') || '） ' else '' end
        ) as matched
    from scored
    where content_matches >= min_matches and (goal_match or indicator_match)
)

select * from candidates
