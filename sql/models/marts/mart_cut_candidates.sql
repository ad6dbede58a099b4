-- materialized: incremental
-- indexes: project_code
-- unique_key: fiscal_year, project_code, flag
-- delete_where: {{ this }}.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project') or {{ this }}.flag = '调整'
-- full_refresh_when_changed: rule_basis
-- 预算安排建议 (DESIGN §3 budget consequences): one row per (fiscal_year, project_code, flag), each with the amount it
-- concerns (万元), the suggested change, a reason quoting the numbers and the basis it cites. Thresholds and change
-- percentages are policy_setting rows. Each flag names its rule (rule_key); the basis (《全称》第X条) and the quoted
-- phrases (basis_quote) are the rule's citations in force (rule_basis), never literals here (issue 13).
--   优先保障    grade 优 or 良                                    keep or raise (0%)
--   从紧安排    grade 中                                          grade_mid_change_pct (−10%)
--   削减/取消   grade 差 (grade_poor_change_pct, −30%), or year-end 执行率 < year_end_execution_min (cut the unspent share)
--   收回        a 上年结转资金 line unspent for carryover_recover_years (2) years or more at the year's last monitoring
--   暂停拨款    at monitoring, an 产出 indicator lit red with 完成目标可能性 完全不可能
--   调整        a review list (amount NULL: counted, never summed into money to cut): the projects of a 交叉重复
--               candidate pair of mart_overlap_pairs (same year and jurisdiction, two departments, content alike)
--   整改未到位  the previous year was 中/差 or under the execution minimum, and this year is 中/差 again
--   目标未经调整即变更  a target in a monitoring, 纠偏 or self-evaluation form differs from the 表2-1 declaration and no
--               调整表 covers it (fct_target_change; rule flag.target_changed)
-- 增量 (issue 15): every flag but 调整 reads its own project's rows alone (grade, fund lines, indicators, deviation,
-- target changes, the previous year's grade of the same project), which change only with a batch naming the project or
-- its department, so an incremental build recomputes every year of the projects in build_slice. 调整 names the
-- partners of a 交叉重复 pair, whose other side may be a project of another department that build_slice does not
-- hold: its rows (one per project of a candidate pair, a few hundred in a province) are all recomputed each time
-- (delete_where above). In full when the rules' bases changed. Not when dim_period changed: its rows are the 期间 seed ×
-- the 年度 present, and a change of the seed or of schedule_basis (政策参数) changes this model's fingerprint (stale: in
-- full); otherwise dim_period changes only by a 年度 arriving or leaving, and a year's rows here read only that year's
-- periods (carryover's last period). A 年度 arrives with the changed batches that are its only rows (no execution row
-- of a year dim_period lacks: both come from stg_current_batch), and leaves with the batches withdrawn: their projects
-- are in build_slice either way, recomputed in every year. (The burst's first pass of a new 年度 rebuilt the whole table:
-- province, DuckDB 0.3–1.1 s, PostgreSQL 1.7 s; issue 15.)
with grades as (
    select * from {{ ref('mart_project_grade') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

execution as (
    select * from {{ ref('fct_budget_execution') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

-- the touched projects' lights key by key (PostgreSQL: `offset 0` keeps the lateral read a loop over the keys, each by
-- fct_indicator_judgement's entity_code index): as a semi join PostgreSQL scanned the table's 3.1 million rows, the
-- 暂停拨款 filters below estimated at 615 of them (21,798 in fact) — 0.50 s of the model's 0.64 s (province, ten
-- departments, issue 15); 0.13 s by key (the model 0.69 → 0.22 s in `bench build --incremental-only`). DuckDB
-- decorrelates it (the model 47 → 61 ms there).
indicator_lights as (
    {% if is_incremental() %}
    select source.* from (select distinct project_code from {{ ref('build_slice') }} where entity_kind = 'project') as touched
    cross join lateral (
        select * from {{ ref('fct_indicator_light') }} as keyed
        where keyed.project_code = touched.project_code
        {{ evaluated_once() }}
    ) as source
    {% else %}
    select * from {{ ref('fct_indicator_light') }}
    {% endif %}
),

project_deviation as (
    select * from {{ ref('mart_project_deviation_base') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

periods as (
    select * from {{ ref('dim_period') }}
),

projects as (
    select * from {{ ref('dim_project') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
        or source.project_code in (select project_a from {{ ref('mart_overlap_pairs') }})
        or source.project_code in (select project_b from {{ ref('mart_overlap_pairs') }})
    {% endif %}
),

settings as (
    select * from {{ ref('policy_current') }}
),

rule_bases as (
    select * from {{ ref('rule_basis') }}
),

policy as (
    select
        cast(max(case when setting = 'grade_mid_change_pct' then value end) as decimal(18,4)) as mid_change_pct,
        cast(max(case when setting = 'grade_poor_change_pct' then value end) as decimal(18,4)) as poor_change_pct,
        cast(max(case when setting = 'mid_cut_again_change_pct' then value end) as decimal(18,4)) as again_change_pct,
        cast(max(case when setting = 'year_end_execution_min' then value end) as decimal(18,4)) as execution_min,
        cast(max(case when setting = 'carryover_recover_years' then value end) as integer) as recover_years
    from settings
),

graded as (
    select
        grades.*,
        policy.*,
        cast(cast(round(grades.execution_rate * 100, 1) as decimal(18,1)) as varchar) as rate_text,
        cast(cast(round(policy.execution_min * 100, 1) as decimal(18,1)) as varchar) as min_text,
        cast(cast(round(grades.recomputed_score, 2) as decimal(18,2)) as varchar) as score_text
    from grades
    cross join policy
),

supported as (
    select
        fiscal_year, project_code, '优先保障' as flag, cast(0 as decimal(18,4)) as suggested_change_pct,
        budget as amount,
        '自评等级 ' || grade || '（重算得分 ' || score_text || ' 分）：予以支持，保持或适当增加预算' as reason,
        'flag.supported' as rule_key
    from graded
    where grade in ('优', '良')
),

tightened as (
    select
        fiscal_year, project_code, '从紧安排' as flag, mid_change_pct as suggested_change_pct,
        budget as amount,
        '自评等级 中（重算得分 ' || score_text || ' 分）：从紧安排，建议调减 '
            || cast(cast(abs(mid_change_pct) as decimal(18,0)) as varchar) || '%' as reason,
        'flag.tightened' as rule_key
    from graded
    where grade = '中'
),

cut as (
    select
        fiscal_year, project_code, '削减/取消' as flag,
        case
            when grade = '差' then poor_change_pct
            else cast(round(cast(-100 * (1 - execution_rate) as decimal(18,8)), 1) as decimal(18,4))
        end as suggested_change_pct,
        case when grade = '差' then budget else budget - executed end as amount,
        case
            when grade = '差' and execution_rate < execution_min
                then '自评等级 差（重算得分 ' || score_text || ' 分），年末执行率 ' || rate_text || '%，低于 ' || min_text
                     || '%：建议削减 ' || cast(cast(abs(poor_change_pct) as decimal(18,0)) as varchar) || '% 或取消'
            when grade = '差'
                then '自评等级 差（重算得分 ' || score_text || ' 分）：建议削减 '
                     || cast(cast(abs(poor_change_pct) as decimal(18,0)) as varchar) || '% 或取消'
            else '年末执行率 ' || rate_text || '%，低于 ' || min_text || '%：削减未执行部分 '
                 || cast(cast(budget - executed as decimal(18,2)) as varchar) || ' 万元'
        end as reason,
        'flag.cut' as rule_key
    from graded
    where grade = '差' or execution_rate < execution_min
),

last_periods as (
    select execution.fiscal_year, execution.project_code, max(periods.sort_order) as sort_order
    from execution
    inner join periods on execution.fiscal_year = periods.fiscal_year and execution.period = periods.period
    group by execution.fiscal_year, execution.project_code
),

carryover as (
    select
        execution.fiscal_year,
        execution.project_code,
        max(execution.period) as period,
        max(execution.carryover_years) as carryover_years,
        sum(execution.budget - execution.executed) as balance
    from execution
    inner join periods on execution.fiscal_year = periods.fiscal_year and execution.period = periods.period
    inner join last_periods
        on execution.fiscal_year = last_periods.fiscal_year
        and execution.project_code = last_periods.project_code
        and periods.sort_order = last_periods.sort_order
    cross join policy
    where execution.carryover_years >= policy.recover_years
        and execution.budget - execution.executed > 0
    group by execution.fiscal_year, execution.project_code
),

recovered as (
    select
        fiscal_year, project_code, '收回' as flag, cast(-100 as decimal(18,4)) as suggested_change_pct,
        cast(balance as decimal(18,4)) as amount,
        '上年结转资金已结转 ' || cast(carryover_years as varchar) || ' 年，截至 ' || period || ' 仍有 '
            || cast(cast(balance as decimal(18,2)) as varchar) || ' 万元未支出：收回结余' as reason,
        'flag.recovered' as rule_key
    from carryover
),

hopeless as (
    select
        indicator_lights.fiscal_year,
        indicator_lights.project_code,
        max(indicator_lights.period) as period,
        min(indicator_lights.level3) as first_indicator,
        count(*) as indicator_count
    from indicator_lights
    where indicator_lights.light = 'red'
        and indicator_lights.possibility like '%不可能%'
        and indicator_lights.level1 like '产出%'
    group by indicator_lights.fiscal_year, indicator_lights.project_code
),

suspended as (
    select
        hopeless.fiscal_year, hopeless.project_code, '暂停拨款' as flag,
        cast(case
            when project_deviation.budget > 0
                then round(cast(-100 * (project_deviation.budget - project_deviation.executed) / project_deviation.budget
                                as decimal(18,8)), 1)
        end as decimal(18,4)) as suggested_change_pct,
        cast(case when project_deviation.budget > project_deviation.executed
                  then project_deviation.budget - project_deviation.executed else 0 end as decimal(18,4)) as amount,
        hopeless.period || ' 监控：产出指标「' || hopeless.first_indicator || '」'
            || case when hopeless.indicator_count > 1
                    then '等 ' || cast(hopeless.indicator_count as varchar) || ' 项' else '' end
            || '亮红灯且完成目标可能性为 完全不可能；执行率 '
            || coalesce(cast(cast(round(project_deviation.execution_rate * 100, 1) as decimal(18,1)) as varchar), '—')
            || '%：暂停拨款，调减预算' as reason,
        'flag.suspended' as rule_key
    from hopeless
    left join project_deviation
        on hopeless.fiscal_year = project_deviation.fiscal_year
        and hopeless.period = project_deviation.period
        and hopeless.project_code = project_deviation.project_code
),

overlap_pairs as (
    select * from {{ ref('mart_overlap_pairs') }}
),

overlap_sides as (
    select fiscal_year, project_a as project_code, matched from overlap_pairs
    union all
    select fiscal_year, project_b as project_code, matched from overlap_pairs
),

overlap_summary as (
    select
        fiscal_year,
        project_code,
        count(*) as partner_count,
        min(matched) as first_matched
    from overlap_sides
    group by fiscal_year, project_code
),

adjusted as (
    select
        overlap_summary.fiscal_year, overlap_summary.project_code, '调整' as flag,
        cast(null as decimal(18,4)) as suggested_change_pct,
        cast(null as decimal(18,4)) as amount,
        '与同一区划内其他部门的 ' || cast(overlap_summary.partner_count as varchar) || ' 个项目内容相近（'
            || overlap_summary.first_matched || '）：交叉重复，建议审查整合（对照见 削减与收回 → 交叉重复对照）' as reason,
        'flag.adjusted' as rule_key
    from overlap_summary
),

repeated as (
    select
        current_year.fiscal_year, current_year.project_code, '整改未到位' as flag,
        current_year.again_change_pct as suggested_change_pct,
        current_year.budget as amount,
        '上年（' || cast(previous_year.fiscal_year as varchar) || '）自评等级 ' || previous_year.grade
            || '、年末执行率 ' || coalesce(previous_year.rate_text, '—') || '%，已提示整改；本年等级仍为 '
            || current_year.grade || '（' || current_year.score_text || ' 分）：再次削减' as reason,
        'flag.repeated' as rule_key
    from graded as current_year
    inner join graded as previous_year
        on current_year.project_code = previous_year.project_code
        and current_year.fiscal_year = previous_year.fiscal_year + 1
    where current_year.grade in ('中', '差')
        and (previous_year.grade in ('中', '差') or previous_year.execution_rate < previous_year.execution_min)
),

target_changes as (
    select * from {{ ref('fct_target_change') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

unadjusted as (
    select
        fiscal_year, project_code, '目标未经调整即变更' as flag, cast(0 as decimal(18,4)) as suggested_change_pct,
        cast(null as decimal(18,4)) as amount,
        min(stage || '「' || level3 || '」' || target_kind || '目标 ' || submitted_target || '，申报为 ' || declared_target)
            || case when count(*) > 1 then ' 等 ' || cast(count(*) as varchar) || ' 处' else '' end
            || '，无调整表：按程序重新申报审批，或按申报目标填报' as reason,
        'flag.target_changed' as rule_key
    from target_changes
    group by fiscal_year, project_code
),

candidates as (
    select * from supported
    union all
    select * from tightened
    union all
    select * from cut
    union all
    select * from recovered
    union all
    select * from suspended
    union all
    select * from adjusted
    union all
    select * from repeated
    union all
    select * from unadjusted
),

named as (
    select
        candidates.fiscal_year,
        candidates.project_code,
        projects.project_name,
        projects.department_code,
        candidates.flag,
        candidates.suggested_change_pct,
        cast(candidates.amount as decimal(18,4)) as amount,
        candidates.reason,
        coalesce(rule_bases.basis, '未对应条款') as basis,
        rule_bases.basis_quote,
        candidates.rule_key,
        -- 建议调整金额 (万元, negative = cut): amount × suggested_change_pct / 100 (NULL for 调整, which moves no money),
        -- through DECIMAL(18,8) before rounding to 4 places (DuckDB divides as DOUBLE: -4.31275 would come out -4.3127)
        cast(round(cast(cast(candidates.amount as decimal(18,4)) * candidates.suggested_change_pct / 100 as decimal(18,8)), 4)
             as decimal(18,4)) as suggested_change
    from candidates
    left join projects on candidates.project_code = projects.project_code
    left join rule_bases on candidates.rule_key = rule_bases.rule_key
)

select * from named
