-- materialized: table
-- 主管部门: every department code seen in any submission, under the name of its latest loaded batch.
-- A department seen only by code (indicator tables) is named by its code.
with projects as (
    select * from {{ ref('stg_project') }}
),

monitoring_funds as (
    select * from {{ ref('stg_monitoring_fund') }}
),

selfeval_funds as (
    select * from {{ ref('stg_selfeval_fund') }}
),

dept_monitoring_funds as (
    select * from {{ ref('stg_dept_monitoring_fund') }}
),

dept_monitoring_indicators as (
    select * from {{ ref('stg_dept_monitoring_indicator') }}
),

dept_selfeval_funds as (
    select * from {{ ref('stg_dept_selfeval_fund') }}
),

dept_selfeval_indicators as (
    select * from {{ ref('stg_dept_selfeval_indicator') }}
),

sightings as (
    select department_code, department_name, batch_id, source_row from projects
    union all
    select department_code, department_name, batch_id, source_row from monitoring_funds
    where department_code is not null
    union all
    select department_code, department_name, batch_id, source_row from selfeval_funds
    where department_code is not null
    union all
    select department_code, department_name, batch_id, source_row from dept_monitoring_funds
    union all
    select department_code, department_name, batch_id, source_row from dept_selfeval_funds
    union all
    select department_code, cast(null as varchar) as department_name, batch_id, source_row
    from dept_monitoring_indicators
    union all
    select department_code, cast(null as varchar) as department_name, batch_id, source_row
    from dept_selfeval_indicators
),

ranked as (
    select
        department_code,
        department_name,
        row_number() over (
            partition by department_code
            order by
                case when department_name is null then 1 else 0 end,
                batch_id desc,
                source_row desc
        ) as name_rank
    from sightings
),

departments as (
    select
        department_code,
        coalesce(department_name, department_code) as department_name
    from ranked
    where name_rank = 1
)

select * from departments
