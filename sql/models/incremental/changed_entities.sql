-- materialized: table
-- 变更批次所涉项目与部门: one row per (source_name, fiscal_year, period, entity_kind, entity_code) that a changed batch
-- (loaded or withdrawn since the last build, runner_changed_batch, filled by the runner at the start of a build) has
-- rows for in a raw table — the projects the project forms name, the departments the 部门整体 forms name. Built first
-- in a build and analysed like every table, so build_slice, stg_project, dim_project and dim_department read the
-- changed batches' entities from one small table the planner can estimate, instead of each scanning every raw table
-- (issue 15: PostgreSQL estimated dim_project's copy of this union at 2.6M rows, 3–3.5 s a pass).
--   source_name   the raw table without raw_: 'project' (项目信息), 'monitoring_fund' … 'dept_declaration_indicator'
--   fiscal_year   the row's 年度; NULL for 项目信息, which has none
--   period        the 期间 as staging spells it (trimmed, upper case, －—～ as -) for the 监控 forms; NULL for the others
--   entity_kind   'project' | 'department'
--   entity_code   the trimmed project or department code
-- Rebuilt every build (the change tracker names it beside build_slice); empty on a full refresh.
with changed as (
    select batch_id from {{ source('runner', 'runner_changed_batch') }}
),

entities as (
    select distinct 'project' as source_name, cast(null as integer) as fiscal_year, cast(null as varchar) as period,
        'project' as entity_kind, trim(project_code) as entity_code
    from {{ source('raw', 'raw_project') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'monitoring_fund', fiscal_year, upper(replace(replace(replace(trim(period), '－', '-'), '—', '-'), '～', '-')),
        'project', trim(project_code)
    from {{ source('raw', 'raw_monitoring_fund') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'monitoring_indicator', fiscal_year, upper(replace(replace(replace(trim(period), '－', '-'), '—', '-'), '～', '-')),
        'project', trim(project_code)
    from {{ source('raw', 'raw_monitoring_indicator') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'selfeval_fund', fiscal_year, cast(null as varchar), 'project', trim(project_code)
    from {{ source('raw', 'raw_selfeval_fund') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'selfeval_indicator', fiscal_year, cast(null as varchar), 'project', trim(project_code)
    from {{ source('raw', 'raw_selfeval_indicator') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'correction', fiscal_year, cast(null as varchar), 'project', trim(project_code)
    from {{ source('raw', 'raw_correction') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'adjustment', fiscal_year, cast(null as varchar), 'project', trim(project_code)
    from {{ source('raw', 'raw_adjustment') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'declaration_fund', fiscal_year, cast(null as varchar), 'project', trim(project_code)
    from {{ source('raw', 'raw_declaration_fund') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'declaration_indicator', fiscal_year, cast(null as varchar), 'project', trim(project_code)
    from {{ source('raw', 'raw_declaration_indicator') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'dept_monitoring_fund', fiscal_year, upper(replace(replace(replace(trim(period), '－', '-'), '—', '-'), '～', '-')),
        'department', trim(department_code)
    from {{ source('raw', 'raw_dept_monitoring_fund') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'dept_monitoring_indicator', fiscal_year, upper(replace(replace(replace(trim(period), '－', '-'), '—', '-'), '～', '-')),
        'department', trim(department_code)
    from {{ source('raw', 'raw_dept_monitoring_indicator') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'dept_selfeval_fund', fiscal_year, cast(null as varchar), 'department', trim(department_code)
    from {{ source('raw', 'raw_dept_selfeval_fund') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'dept_selfeval_indicator', fiscal_year, cast(null as varchar), 'department', trim(department_code)
    from {{ source('raw', 'raw_dept_selfeval_indicator') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'dept_declaration_fund', fiscal_year, cast(null as varchar), 'department', trim(department_code)
    from {{ source('raw', 'raw_dept_declaration_fund') }} where batch_id in (select batch_id from changed)
    union all
    select distinct 'dept_declaration_indicator', fiscal_year, cast(null as varchar), 'department', trim(department_code)
    from {{ source('raw', 'raw_dept_declaration_indicator') }} where batch_id in (select batch_id from changed)
)

select * from entities
