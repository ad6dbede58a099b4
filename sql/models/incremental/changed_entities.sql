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
--   department_code  the department a 项目信息, 监控资金 or 自评资金 row gives the project (trimmed); NULL for the other forms
-- Rebuilt every build (the change tracker names it beside build_slice); empty on a full refresh.
-- Each raw table is read batch by batch (`changed cross join lateral (… where batch_id … changed.batch_id offset 0)`):
-- PostgreSQL's statistics see a dozen batches of a province's millions of rows, so `batch_id in (select …)` was
-- estimated at half the table and planned as a scan of all 2.9M monitoring indicator rows (0.43 s of the model's 0.64 s);
-- per batch it is an index scan of raw_*_batch (migration 0194), the batch matched as a range (`>= b and <= b`): a
-- table whose statistics hold one batch estimates an equality at every row and scans it. DuckDB joins as before.
with changed as (
    select batch_id from {{ source('runner', 'runner_changed_batch') }}
),

entities as (
    select distinct 'project' as source_name, cast(null as integer) as fiscal_year, cast(null as varchar) as period,
        'project' as entity_kind, trim(project_code) as entity_code,
        nullif(trim(department_code), '') as department_code
    from {{ changed_batch_rows('raw_project') }}
    union all
    select distinct 'monitoring_fund', fiscal_year, {{ period_key('period') }},
        'project', trim(project_code), nullif(trim(department_code), '')
    from {{ changed_batch_rows('raw_monitoring_fund') }}
    union all
    select distinct 'monitoring_indicator', fiscal_year, {{ period_key('period') }},
        'project', trim(project_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_monitoring_indicator') }}
    union all
    select distinct 'selfeval_fund', fiscal_year, cast(null as varchar), 'project', trim(project_code), nullif(trim(department_code), '')
    from {{ changed_batch_rows('raw_selfeval_fund') }}
    union all
    select distinct 'selfeval_indicator', fiscal_year, cast(null as varchar), 'project', trim(project_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_selfeval_indicator') }}
    union all
    select distinct 'correction', fiscal_year, cast(null as varchar), 'project', trim(project_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_correction') }}
    union all
    select distinct 'adjustment', fiscal_year, cast(null as varchar), 'project', trim(project_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_adjustment') }}
    union all
    select distinct 'declaration_fund', fiscal_year, cast(null as varchar), 'project', trim(project_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_declaration_fund') }}
    union all
    select distinct 'declaration_indicator', fiscal_year, cast(null as varchar), 'project', trim(project_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_declaration_indicator') }}
    union all
    select distinct 'dept_monitoring_fund', fiscal_year, {{ period_key('period') }},
        'department', trim(department_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_dept_monitoring_fund') }}
    union all
    select distinct 'dept_monitoring_indicator', fiscal_year, {{ period_key('period') }},
        'department', trim(department_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_dept_monitoring_indicator') }}
    union all
    select distinct 'dept_selfeval_fund', fiscal_year, cast(null as varchar), 'department', trim(department_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_dept_selfeval_fund') }}
    union all
    select distinct 'dept_selfeval_indicator', fiscal_year, cast(null as varchar), 'department', trim(department_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_dept_selfeval_indicator') }}
    union all
    select distinct 'dept_declaration_fund', fiscal_year, cast(null as varchar), 'department', trim(department_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_dept_declaration_fund') }}
    union all
    select distinct 'dept_declaration_indicator', fiscal_year, cast(null as varchar), 'department', trim(department_code), cast(null as varchar)
    from {{ changed_batch_rows('raw_dept_declaration_indicator') }}
)

select * from entities
