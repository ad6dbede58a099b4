-- 拟削减/收回 never exceeds the budget: for every year and every department and 省 / 市 / 县 (dim_department), the money the rules propose to take
-- back (mart_cut_takeback: each project once, at its largest amount) is at most the budget of the department's
-- projects (each project's largest 预算数 of the year's monitoring periods, else its 自评 全年预算数).
with takeback as (
    select * from {{ ref('mart_cut_takeback') }}
),

project_deviation as (
    select * from {{ ref('mart_project_deviation') }}
),

grades as (
    select * from {{ ref('mart_project_grade') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

monitored as (
    select fiscal_year, project_code, max(budget) as budget
    from project_deviation
    group by fiscal_year, project_code
),

project_years as (
    select fiscal_year, project_code from monitored
    union
    select fiscal_year, project_code from grades
),

project_budgets as (
    select
        project_years.fiscal_year,
        projects.department_code,
        coalesce(monitored.budget, grades.budget, 0) as budget
    from project_years
    inner join projects on project_years.project_code = projects.project_code
    left join monitored
        on project_years.fiscal_year = monitored.fiscal_year and project_years.project_code = monitored.project_code
    left join grades
        on project_years.fiscal_year = grades.fiscal_year and project_years.project_code = grades.project_code
),

department_budgets as (
    select fiscal_year, department_code, sum(budget) as budget
    from project_budgets
    group by fiscal_year, department_code
),

department_takeback as (
    select fiscal_year, department_code, sum(amount) as amount
    from takeback
    group by fiscal_year, department_code
),

by_department as (
    select
        department_takeback.fiscal_year,
        'department' as level,
        department_takeback.department_code as code,
        department_takeback.amount,
        coalesce(department_budgets.budget, 0) as budget
    from department_takeback
    left join department_budgets
        on department_takeback.fiscal_year = department_budgets.fiscal_year
        and department_takeback.department_code = department_budgets.department_code
),

department_regions as (
    select department_code, '省' as level, province_code as code from departments
    union all
    select department_code, '市' as level, city_code as code from departments
    union all
    select department_code, '县' as level, county_code as code from departments
),

by_region as (
    select
        by_department.fiscal_year,
        department_regions.level,
        department_regions.code,
        sum(by_department.amount) as amount,
        sum(by_department.budget) as budget
    from by_department
    inner join department_regions on by_department.code = department_regions.department_code
    group by by_department.fiscal_year, department_regions.level, department_regions.code
),

over_budget as (
    select * from by_department where amount > budget
    union all
    select * from by_region where amount > budget
)

select * from over_budget
