-- materialized: table
-- 预算安排建议 (DESIGN §3 budget consequences): one row per (fiscal_year, project_code, flag), each with the amount it
-- concerns (万元), the suggested change, a reason quoting the numbers and the basis it cites. Thresholds and change
-- percentages are policy_setting rows.
--   优先保障    grade 优 or 良                                    keep or raise (0%)
--   从紧安排    grade 中                                          grade_mid_change_pct (−10%)
--   削减/取消   grade 差 (grade_poor_change_pct, −30%), or year-end 执行率 < year_end_execution_min (cut the unspent share)
--   收回        a 上年结转资金 line unspent for carryover_recover_years (2) years or more at the year's last monitoring
--   暂停拨款    at monitoring, an 产出 indicator lit red with 完成目标可能性 完全不可能
--   调整        near-duplicate names across departments in the same year: equal after dropping bracketed parts
--               （二期）（续建）…, a leading year (2024年) and the words 项目 / 专项 / 经费 / 资金 / 补助
--   整改未到位  the previous year was 中/差 or under the execution minimum, and this year is 中/差 again
--   目标未经调整即变更  a target in a monitoring, 纠偏 or self-evaluation form differs from the 表2-1 declaration and no
--               调整表 covers it (fct_target_change; 常纺院 第十条)
with grades as (
    select * from {{ ref('mart_project_grade') }}
),

execution as (
    select * from {{ ref('fct_budget_execution') }}
),

indicator_progress as (
    select * from {{ ref('fct_indicator_progress') }}
),

project_deviation as (
    select * from {{ ref('mart_project_deviation') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

settings as (
    select * from {{ ref('policy_current') }}
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
        '中发〔2018〕34号；常纺院 第十六条（优、良 予以支持）' as basis
    from graded
    where grade in ('优', '良')
),

tightened as (
    select
        fiscal_year, project_code, '从紧安排' as flag, mid_change_pct as suggested_change_pct,
        budget as amount,
        '自评等级 中（重算得分 ' || score_text || ' 分）：从紧安排，建议调减 '
            || cast(cast(abs(mid_change_pct) as decimal(18,0)) as varchar) || '%' as reason,
        '常纺院 第十六条（中、差 从紧安排）' as basis
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
        '常纺院 第四条（低效无效资金一律削减或取消）' as basis
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
        '常纺院 第四条（长期沉淀的资金一律收回）；预算法 第四十二条' as basis
    from carryover
),

hopeless as (
    select
        indicator_progress.fiscal_year,
        indicator_progress.project_code,
        max(indicator_progress.period) as period,
        min(indicator_progress.level3) as first_indicator,
        count(*) as indicator_count
    from indicator_progress
    where indicator_progress.light = 'red'
        and indicator_progress.possibility like '%不可能%'
        and indicator_progress.level1 like '产出%'
    group by indicator_progress.fiscal_year, indicator_progress.project_code
),

suspended as (
    select
        hopeless.fiscal_year, hopeless.project_code, '暂停拨款' as flag,
        cast(case
            when project_deviation.budget > 0
                then round(cast(-100 * (project_deviation.budget - project_deviation.executed) / project_deviation.budget
                                as decimal(18,8)), 1)
        end as decimal(18,4)) as suggested_change_pct,
        cast(project_deviation.budget - project_deviation.executed as decimal(18,4)) as amount,
        hopeless.period || ' 监控：产出指标「' || hopeless.first_indicator || '」'
            || case when hopeless.indicator_count > 1
                    then '等 ' || cast(hopeless.indicator_count as varchar) || ' 项' else '' end
            || '亮红灯且完成目标可能性为 完全不可能；执行率 '
            || coalesce(cast(cast(round(project_deviation.execution_rate * 100, 1) as decimal(18,1)) as varchar), '—')
            || '%：暂停拨款，调减预算' as reason,
        '常纺院 第十五条（四）' as basis
    from hopeless
    left join project_deviation
        on hopeless.fiscal_year = project_deviation.fiscal_year
        and hopeless.period = project_deviation.period
        and hopeless.project_code = project_deviation.project_code
),

project_years as (
    select distinct fiscal_year, project_code from execution
    union
    select fiscal_year, project_code from grades
),

normalised_names as (
    select
        project_years.fiscal_year,
        project_years.project_code,
        projects.project_name,
        projects.department_code,
        replace(replace(replace(replace(replace(
            regexp_replace(regexp_replace(projects.project_name, '[（(][^）)]*[）)]', '', 'g'), '^[0-9]{4}年(度)?', '', 'g'),
            '项目', ''), '专项', ''), '经费', ''), '资金', ''), '补助', '') as name_key
    from project_years
    inner join projects on project_years.project_code = projects.project_code
    where projects.department_code is not null
),

duplicate_keys as (
    select fiscal_year, name_key, count(distinct department_code) as department_count
    from normalised_names
    where length(name_key) >= 2
    group by fiscal_year, name_key
    having count(distinct department_code) > 1
),

year_budgets as (
    select fiscal_year, project_code, max(budget) as budget
    from project_deviation
    group by fiscal_year, project_code
),

adjusted as (
    select
        normalised_names.fiscal_year, normalised_names.project_code, '调整' as flag,
        cast(null as decimal(18,4)) as suggested_change_pct,
        coalesce(grades.budget, year_budgets.budget) as amount,
        '项目名称与其他 ' || cast(duplicate_keys.department_count - 1 as varchar) || ' 个部门的项目相近（规范化名称「'
            || normalised_names.name_key || '」）：交叉重复，建议审查整合' as reason,
        '常纺院 第四条（交叉重复、碎片化）' as basis
    from normalised_names
    inner join duplicate_keys
        on normalised_names.fiscal_year = duplicate_keys.fiscal_year
        and normalised_names.name_key = duplicate_keys.name_key
    left join grades
        on normalised_names.fiscal_year = grades.fiscal_year
        and normalised_names.project_code = grades.project_code
    left join year_budgets
        on normalised_names.fiscal_year = year_budgets.fiscal_year
        and normalised_names.project_code = year_budgets.project_code
),

repeated as (
    select
        current_year.fiscal_year, current_year.project_code, '整改未到位' as flag,
        current_year.again_change_pct as suggested_change_pct,
        current_year.budget as amount,
        '上年（' || cast(previous_year.fiscal_year as varchar) || '）自评等级 ' || previous_year.grade
            || '、年末执行率 ' || coalesce(previous_year.rate_text, '—') || '%，已提示整改；本年等级仍为 '
            || current_year.grade || '（' || current_year.score_text || ' 分）：再次削减' as reason,
        '常纺院 第十六条' as basis
    from graded as current_year
    inner join graded as previous_year
        on current_year.project_code = previous_year.project_code
        and current_year.fiscal_year = previous_year.fiscal_year + 1
    where current_year.grade in ('中', '差')
        and (previous_year.grade in ('中', '差') or previous_year.execution_rate < previous_year.execution_min)
),

target_changes as (
    select * from {{ ref('fct_target_change') }}
),

unadjusted as (
    select
        fiscal_year, project_code, '目标未经调整即变更' as flag, cast(0 as decimal(18,4)) as suggested_change_pct,
        cast(null as decimal(18,4)) as amount,
        min(stage || '「' || level3 || '」' || target_kind || '目标 ' || submitted_target || '，申报为 ' || declared_target)
            || case when count(*) > 1 then ' 等 ' || cast(count(*) as varchar) || ' 处' else '' end
            || '，无调整表：按程序重新申报审批，或按申报目标填报' as reason,
        '常纺院 第十条' as basis
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
        candidates.basis
    from candidates
    left join projects on candidates.project_code = projects.project_code
)

select * from named
