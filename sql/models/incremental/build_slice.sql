-- materialized: table
-- indexes: entity_code
-- (PostgreSQL, issue 15: every incremental read's in_slice() probes build_slice per row of its source when the planner
-- expects few — a changed batch's rows are beyond raw_monitoring_indicator's statistics, estimated 1, in fact 14,151 for
-- ten departments: fct_indicator_judgement's incremental SELECT scanned the table's 487 project rows once per row,
-- twice, 2.85 s; by this index 0.22 s)
-- The (年度, 期间, 部门) slices this build recomputes in the incremental models (issue 15, 增量模型), one row per
-- entity of a touched slice: the department itself ('department') and every project it holds ('project').
-- A batch is changed when it is loaded and the incremental models were not built from it yet (runner_built_batch,
-- migration 0110), or when they were and it is no longer loaded; the runner lists them in runner_changed_batch at
-- the start of the build. A changed batch touches:
--   监控 forms (附件1, 表1-2): their own 期间; every other form (自评, 纠偏, 调整, 申报, 部门整体 申报): every 期间 of their 年度;
--   项目信息 (raw_project, no 年度): every 期间 of every 年度;
-- of the department of each project it names — the department the project has now (dim_project), every one a
-- project-information row ever gave it, so a project that moved leaves its old department's slice recomputed too, and
-- the one the changed batch's own rows give it (a withdrawn batch's department, which dim_project no longer says).
-- A project dim_project no longer holds (every batch naming it withdrawn) is listed in its departments' slices itself,
-- and in the slice of no department (where a project known by its 监控指标 alone was), so the incremental models delete its
-- rows: the departments' projects are listed from dim_project, which has dropped it.
-- A resubmission is a new loaded batch for the same project: it touches the slices the replaced batch filled.
-- A rejected file loads nothing, so it touches nothing. A full refresh ignores this model.
-- The changed batches' projects and departments are changed_entities' rows; this model is rebuilt every build (it reads
-- {{ source('runner', 'runner_changed_batch') }} through that model).
with year_periods as (
    select fiscal_year, period from {{ ref('dim_period') }}
    union
    select fiscal_year, period from {{ ref('stg_current_batch') }}
    where source_name in ('monitoring_fund', 'monitoring_indicator', 'dept_monitoring_fund', 'dept_monitoring_indicator')
),

-- the changed batches' entities (changed_entities); '*' = every 期间 of the 年度; a null 年度 = every 年度
changed as (
    select
        fiscal_year,
        case when source_name in ('monitoring_fund', 'monitoring_indicator', 'dept_monitoring_fund', 'dept_monitoring_indicator')
            then period else '*' end as period,
        entity_kind,
        entity_code
    from {{ ref('changed_entities') }}
),

touched_projects as (
    select fiscal_year, period, entity_code as project_code from changed where entity_kind = 'project'
),

-- only the touched projects' departments (a province's 200k projects are not unioned for a one-department upload), read
-- project by project (`cross join lateral (… offset 0)` on PostgreSQL): by the index on dim_project's project_code and
-- raw_project's trimmed one (migration 0205), where `in (select …)` was planned as scans of both tables
touched_codes as (
    select distinct project_code from touched_projects
),

gone_codes as (
    select touched_codes.project_code from touched_codes
    where not exists (select 1 from {{ ref('dim_project') }} as projects where projects.project_code = touched_codes.project_code)
),

project_departments as (
    select touched_codes.project_code, current_rows.department_code from touched_codes cross join lateral (
        select department_code from {{ ref('dim_project') }} as projects
        where projects.project_code = touched_codes.project_code {{ evaluated_once() }}
    ) as current_rows
    union
    select touched_codes.project_code, trim(raw_rows.department_code) from touched_codes cross join lateral (
        select department_code from {{ source('raw', 'raw_project') }} as raw_project
        where trim(raw_project.project_code) = touched_codes.project_code {{ evaluated_once() }}
    ) as raw_rows
    union
    -- the departments the changed batches' own 项目信息, 监控资金 and 自评资金 rows give: a withdrawn batch's department,
    -- which dim_project no longer says
    select entity_code, department_code from {{ ref('changed_entities') }}
    where entity_kind = 'project' and department_code is not null
    union
    select gone_codes.project_code, cast(null as varchar) from gone_codes
),

touched_departments as (
    select touched_projects.fiscal_year, touched_projects.period, project_departments.department_code
    from touched_projects
    inner join project_departments on touched_projects.project_code = project_departments.project_code
    -- the 部门整体 forms (表1-2 监控 by 期间; 自评; 申报 表1-1, whose 全年预算数 fct_execution_rating's department rows take)
    union
    select fiscal_year, period, entity_code from changed where entity_kind = 'department'
),

slices as (
    select touched_departments.fiscal_year, touched_departments.period, touched_departments.department_code
    from touched_departments
    where touched_departments.period <> '*' and touched_departments.fiscal_year is not null
    union
    select year_periods.fiscal_year, year_periods.period, touched_departments.department_code
    from touched_departments
    inner join year_periods
        on touched_departments.period = '*'
        and (touched_departments.fiscal_year is null or touched_departments.fiscal_year = year_periods.fiscal_year)
),

entities as (
    select fiscal_year, period, department_code, 'department' as entity_kind, department_code as entity_code,
        cast(null as varchar) as project_code
    from slices
    union all
    -- each slice's projects by dim_project's index on department_code (a slice of no department: those without one)
    select slices.fiscal_year, slices.period, slices.department_code, 'project', held.project_code, held.project_code
    from slices cross join lateral (
        select project_code from {{ ref('dim_project') }} as projects
        where projects.department_code = slices.department_code {{ evaluated_once() }}
    ) as held
    union all
    select slices.fiscal_year, slices.period, slices.department_code, 'project', held.project_code, held.project_code
    from slices cross join lateral (
        select project_code from {{ ref('dim_project') }} as projects
        where projects.department_code is null and slices.department_code is null {{ evaluated_once() }}
    ) as held
    union all
    select slices.fiscal_year, slices.period, slices.department_code, 'project', gone.project_code, gone.project_code
    from slices
    inner join project_departments as gone
        on coalesce(slices.department_code, '') = coalesce(gone.department_code, '')
    where gone.project_code in (select project_code from gone_codes)
)

select * from entities
