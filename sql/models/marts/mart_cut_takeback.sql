-- materialized: incremental
-- unique_key: fiscal_year, project_code
-- delete_where: {{ this }}.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
-- full_refresh_when_changed: cut_flag
-- 拟削减/收回 金额: one row per (fiscal_year, project_code) that a rule proposes to take money back from — the flags
-- the cut_flag seed marks takes_back (削减/取消, 收回, 暂停拨款). A project with several such flags counts once, at
-- its largest amount, and never above the project's budget of the year (the largest 预算数 of its monitoring periods,
-- else its 自评 全年预算数): money to cut cannot exceed the money there is. 调整 (交叉重复) is a review list and is
-- not here; 优先保障 / 从紧安排 / 整改未到位 advise next year's allocation and are not money taken back either.
-- 增量 (issue 15): a row reads its own project's flags, budgets and grade alone (调整, whose rows mart_cut_candidates
-- recomputes for other departments' projects too, takes nothing back), so an incremental build recomputes every year
-- of the projects in build_slice.
with candidates as (
    select * from {{ ref('mart_cut_candidates') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

cut_flags as (
    select * from {{ ref('cut_flag') }}
),

project_deviation as (
    select * from {{ ref('mart_project_deviation_base') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

grades as (
    select * from {{ ref('mart_project_grade') }} as source
    {% if is_incremental() %}
    where source.project_code in (select project_code from {{ ref('build_slice') }} where entity_kind = 'project')
    {% endif %}
),

taking_back as (
    select candidates.fiscal_year, candidates.project_code, candidates.department_code, candidates.flag, candidates.amount
    from candidates
    inner join cut_flags on candidates.flag = cut_flags.flag
    where cut_flags.takes_back and candidates.amount > 0
),

ranked as (
    select
        taking_back.*,
        row_number() over (
            partition by taking_back.fiscal_year, taking_back.project_code
            order by taking_back.amount desc, taking_back.flag
        ) as amount_rank,
        count(*) over (partition by taking_back.fiscal_year, taking_back.project_code) as flag_count
    from taking_back
),

largest as (
    select fiscal_year, project_code, department_code, flag as largest_flag, amount, flag_count
    from ranked
    where amount_rank = 1
),

monitored_budgets as (
    select fiscal_year, project_code, max(budget) as budget
    from project_deviation
    group by fiscal_year, project_code
),

year_budgets as (
    select
        largest.fiscal_year,
        largest.project_code,
        coalesce(monitored_budgets.budget, grades.budget, 0) as budget
    from largest
    left join monitored_budgets
        on largest.fiscal_year = monitored_budgets.fiscal_year
        and largest.project_code = monitored_budgets.project_code
    left join grades
        on largest.fiscal_year = grades.fiscal_year
        and largest.project_code = grades.project_code
),

takeback as (
    select
        largest.fiscal_year,
        largest.project_code,
        largest.department_code,
        largest.largest_flag,
        largest.flag_count,
        cast(year_budgets.budget as decimal(18,4)) as budget,
        cast(case when largest.amount > year_budgets.budget then year_budgets.budget else largest.amount end
             as decimal(18,4)) as amount
    from largest
    inner join year_budgets
        on largest.fiscal_year = year_budgets.fiscal_year
        and largest.project_code = year_budgets.project_code
)

select * from takeback
