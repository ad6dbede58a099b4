-- 预算安排模拟 (issue 17 item 2): next year's suggested allocation of the evaluated year @year, under the policy in
-- force (side 0, read from policy_current: what mart_cut_candidates was built with) and under up to two saved
-- scenarios (@first, @second: allocation_scenario.scenario_id; 0 = none). The rules are mart_cut_candidates' (DESIGN
-- §3, policy_setting), re-applied with each side's parameters:
--   优先保障    优/良                          supported_change_pct × 预算 (policy: 0, keep)
--   从紧安排    中                             mid_change_pct × 预算
--   削减/取消   差 → poor_change_pct × 预算; 年末执行率 < execution_min → −(1 − 执行率) of 预算, i.e. the unspent share
--   整改未到位  上年 中/差 or under execution_min, this year 中/差 again → again_change_pct × 预算
--   收回        a fund line 结转 ≥ recover_years at the year's last monitoring → −100% of its unspent balance
--   暂停拨款    mart_cut_candidates' own rows (no parameter of the allocation moves them)
-- Each project counts once, at its largest cut (the /grades 合计 line: MIN of its changes), under the rule that gives
-- it (ties: the order above, 收回 before 削减). 下年建议安排 = 本年预算 (mart_project_grade.budget) + that change.
-- One row per (side, department, rule) plus the grouping-set totals: department = NULL is the whole scope, rule =
-- NULL is the department (or scope) total. {scope} is the caller's DataScope condition on department_code.
with settings as (
    select * from policy_current
),

sides as (
    select
        cast(0 as bigint) as side,
        cast(0 as decimal(18,4)) as supported_pct,
        cast(max(case when setting = 'grade_mid_change_pct' then value end) as decimal(18,4)) as mid_pct,
        cast(max(case when setting = 'grade_poor_change_pct' then value end) as decimal(18,4)) as poor_pct,
        cast(max(case when setting = 'mid_cut_again_change_pct' then value end) as decimal(18,4)) as again_pct,
        cast(max(case when setting = 'year_end_execution_min' then value end) as decimal(18,4)) as execution_min,
        cast(max(case when setting = 'carryover_recover_years' then value end) as integer) as recover_years
    from settings
    union all
    select
        scenario_id, supported_change_pct, mid_change_pct, poor_change_pct, again_change_pct, execution_min, recover_years
    from allocation_scenario
    where deleted_at is null and scenario_id in (@first, @second)
),

grades as (
    select fiscal_year, project_code, department_code, grade, budget, executed, execution_rate
    from mart_project_grade
    where fiscal_year in (@year, @year - 1)
),

graded as (
    select grades.*, sides.*
    from grades
    cross join sides
),

this_year as (
    select * from graded where fiscal_year = @year
),

supported as (
    select side, project_code, '优先保障' as flag, budget * supported_pct / 100 as change
    from this_year
    where grade in ('优', '良')
),

tightened as (
    select side, project_code, '从紧安排' as flag, budget * mid_pct / 100 as change
    from this_year
    where grade = '中'
),

cut as (
    select
        side, project_code, '削减/取消' as flag,
        case
            when grade = '差' then budget * poor_pct / 100
            else (budget - executed) * cast(round(cast(-100 * (1 - execution_rate) as decimal(18,8)), 1) as decimal(18,4)) / 100
        end as change
    from this_year
    where grade = '差' or execution_rate < execution_min
),

repeated as (
    select cur.side, cur.project_code, '整改未到位' as flag, cur.budget * cur.again_pct / 100 as change
    from this_year as cur
    inner join graded as prev
        on prev.side = cur.side and prev.project_code = cur.project_code and prev.fiscal_year = cur.fiscal_year - 1
    where cur.grade in ('中', '差')
        and (prev.grade in ('中', '差') or prev.execution_rate < prev.execution_min)
),

last_periods as (
    select e.project_code, max(p.sort_order) as sort_order
    from fct_budget_execution e
    inner join dim_period p on e.fiscal_year = p.fiscal_year and e.period = p.period
    where e.fiscal_year = @year
    group by e.project_code
),

last_lines as (
    select e.project_code, e.carryover_years, e.budget - e.executed as balance
    from fct_budget_execution e
    inner join dim_period p on e.fiscal_year = p.fiscal_year and e.period = p.period
    inner join last_periods l on e.project_code = l.project_code and p.sort_order = l.sort_order
    where e.fiscal_year = @year
),

recovered as (
    select sides.side, last_lines.project_code, '收回' as flag, -sum(last_lines.balance) as change
    from last_lines
    cross join sides
    where last_lines.carryover_years >= sides.recover_years and last_lines.balance > 0
    group by sides.side, last_lines.project_code
),

suspended as (
    select sides.side, c.project_code, c.flag, c.amount * c.suggested_change_pct / 100 as change
    from mart_cut_candidates c
    cross join sides
    where c.fiscal_year = @year and c.flag = '暂停拨款'
),

candidates as (
    select side, project_code, flag, cast(change as decimal(18,4)) as change from supported
    union all select side, project_code, flag, cast(change as decimal(18,4)) from tightened
    union all select side, project_code, flag, cast(change as decimal(18,4)) from cut
    union all select side, project_code, flag, cast(change as decimal(18,4)) from repeated
    union all select side, project_code, flag, cast(change as decimal(18,4)) from recovered
    union all select side, project_code, flag, cast(change as decimal(18,4)) from suspended
),

deciding as (
    select
        side, project_code, flag, change,
        row_number() over (
            partition by side, project_code
            order by
                case when change is null then 1 else 0 end,
                change,
                case flag
                    when '收回' then 1 when '削减/取消' then 2 when '暂停拨款' then 3
                    when '整改未到位' then 4 when '从紧安排' then 5 else 6
                end
        ) as pick
    from candidates
),

projects as (
    select sides.side, grades.project_code, grades.department_code, grades.budget
    from grades
    cross join sides
    where grades.fiscal_year = @year
    union
    select deciding.side, deciding.project_code, dim_project.department_code, cast(0 as decimal(18,4))
    from deciding
    left join dim_project on dim_project.project_code = deciding.project_code
    where deciding.pick = 1
        and not exists (select 1 from grades g where g.fiscal_year = @year and g.project_code = deciding.project_code)
),

project_lines as (
    select
        projects.side,
        projects.department_code,
        projects.project_code,
        coalesce(deciding.flag, '不调整') as flag,
        projects.budget,
        coalesce(deciding.change, cast(0 as decimal(18,4))) as change
    from projects
    left join deciding
        on deciding.side = projects.side and deciding.project_code = projects.project_code and deciding.pick = 1
    where {scope}
)

select
    side AS Side,
    coalesce(min(scenario.name), '现行政策') AS SideName,
    department_code AS DepartmentCode,
    min(dim_department.department_name) AS DepartmentName,
    flag AS Flag,
    cast(grouping(department_code) as integer) AS IsScopeTotal,
    cast(grouping(flag) as integer) AS IsRuleTotal,
    cast(count(*) as bigint) AS Projects,
    cast(sum(budget) as decimal(18,4)) AS Budget,
    cast(sum(change) as decimal(18,4)) AS Change,
    cast(sum(budget) + sum(change) as decimal(18,4)) AS Allocation
from project_lines
left join dim_department using (department_code)
left join allocation_scenario scenario on scenario.scenario_id = project_lines.side
group by grouping sets ((side, department_code, flag), (side, department_code), (side, flag), (side))
order by side, department_code nulls last, flag nulls last
