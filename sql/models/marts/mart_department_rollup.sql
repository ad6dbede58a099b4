-- materialized: incremental
-- unique_key: fiscal_year, period, department_code
-- delete_where: coalesce({{ this }}.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
-- The region drill's base (issue 14): per (fiscal_year, period, department) the projects, budget, execution, lights
-- and 偏差指数 of mart_project_deviation summed, with the year's 拟削减/收回 (mart_cut_takeback). A province has
-- ≈200,000 project rows a period and ≈10,000 departments: the drill sums these rows by 省, 市 or 县, not the projects.
-- 增量 (issue 15): a department's rows sum its own projects' rows alone; mart_project_deviation_base (the mart's rows
-- without the department's name and the rank, neither read here) and mart_cut_takeback change incrementally only for
-- the projects of build_slice (every project of each touched department), so the touched
-- departments' rows are computed again in every 年度 and 期间 (delete_where above; a NULL department is 未划分's slice)
-- and the others kept (rebuilt in full each pass before: 0.2 s on PostgreSQL at province scale).
with project_deviation as (
    select * from {{ ref('mart_project_deviation_base') }} as source
    {% if is_incremental() %}
    where coalesce(source.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
    {% endif %}
),

takeback as (
    select * from {{ ref('mart_cut_takeback') }} as source
    {% if is_incremental() %}
    where coalesce(source.department_code, '') in (select coalesce(department_code, '') from {{ ref('build_slice') }} where entity_kind = 'department')
    {% endif %}
),

by_department as (
    select
        fiscal_year,
        period,
        department_code,
        count(*) as project_count,
        sum(budget) as budget,
        sum(executed) as executed,
        sum(case when warning = 'red' then 1 else 0 end) as red_count,
        sum(case when warning = 'yellow' then 1 else 0 end) as yellow_count,
        sum(deviation_index) as deviation_sum,
        count(deviation_index) as deviation_count
    from project_deviation
    group by fiscal_year, period, department_code
),

department_takeback as (
    select fiscal_year, department_code, sum(amount) as takeback
    from takeback
    group by fiscal_year, department_code
),

rollup as (
    select
        by_department.fiscal_year,
        by_department.period,
        by_department.department_code,
        cast(by_department.project_count as bigint) as project_count,
        cast(by_department.budget as decimal(18,4)) as budget,
        cast(by_department.executed as decimal(18,4)) as executed,
        cast(by_department.red_count as bigint) as red_count,
        cast(by_department.yellow_count as bigint) as yellow_count,
        cast(by_department.deviation_sum as decimal(18,4)) as deviation_sum,
        cast(by_department.deviation_count as bigint) as deviation_count,
        cast(department_takeback.takeback as decimal(18,4)) as takeback
    from by_department
    left join department_takeback
        on by_department.fiscal_year = department_takeback.fiscal_year
        and by_department.department_code = department_takeback.department_code
)

select * from rollup
