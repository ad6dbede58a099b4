-- materialized: table
-- indexes: project_code
-- 项目: every project code seen in any submission. The project master (stg_project) wins;
-- a project registered only by its submissions takes the latest non-blank name, department and
-- implementing unit from its fund rows, and its code as name when no fund row names it.
with master as (
    select * from {{ ref('stg_project') }}
),

monitoring_funds as (
    select * from {{ ref('stg_monitoring_fund') }}
),

-- the projects of the current monitoring-indicator batches (stg_current_batch): the same codes as
-- stg_monitoring_indicator's, without reading its millions of rows; a key with a NULL part never reaches that model
monitoring_indicators as (
    select entity_code as project_code
    from {{ ref('stg_current_batch') }}
    where source_name = 'monitoring_indicator'
        and fiscal_year is not null and period is not null and entity_code is not null and batch_id is not null
),

selfeval_funds as (
    select * from {{ ref('stg_selfeval_fund') }}
),

selfeval_indicators as (
    select * from {{ ref('stg_selfeval_indicator') }}
),

corrections as (
    select * from {{ ref('stg_correction') }}
),

adjustments as (
    select * from {{ ref('stg_adjustment') }}
),

project_codes as (
    select project_code from master
    union
    select project_code from monitoring_funds
    union
    select project_code from monitoring_indicators
    union
    select project_code from selfeval_funds
    union
    select project_code from selfeval_indicators
    union
    select project_code from corrections
    union
    select project_code from adjustments
),

submitted_attributes as (
    select project_code, 'project_name' as attribute, project_name as value, batch_id, source_row
    from monitoring_funds where project_name is not null
    union all
    select project_code, 'department_code' as attribute, department_code as value, batch_id, source_row
    from monitoring_funds where department_code is not null
    union all
    select project_code, 'implementing_unit' as attribute, implementing_unit as value, batch_id, source_row
    from monitoring_funds where implementing_unit is not null
    union all
    select project_code, 'project_name' as attribute, project_name as value, batch_id, source_row
    from selfeval_funds where project_name is not null
    union all
    select project_code, 'department_code' as attribute, department_code as value, batch_id, source_row
    from selfeval_funds where department_code is not null
),

ranked_attributes as (
    select
        project_code,
        attribute,
        value,
        row_number() over (
            partition by project_code, attribute
            order by batch_id desc, source_row desc
        ) as attribute_rank
    from submitted_attributes
),

latest_submitted as (
    select
        project_code,
        max(case when attribute = 'project_name' then value end) as project_name,
        max(case when attribute = 'department_code' then value end) as department_code,
        max(case when attribute = 'implementing_unit' then value end) as implementing_unit
    from ranked_attributes
    where attribute_rank = 1
    group by project_code
),

projects as (
    select
        project_codes.project_code,
        coalesce(master.project_name, latest_submitted.project_name, project_codes.project_code) as project_name,
        coalesce(master.department_code, latest_submitted.department_code) as department_code,
        coalesce(master.implementing_unit, latest_submitted.implementing_unit) as implementing_unit,
        master.project_type,
        master.project_level,
        master.fund_nature,
        coalesce(master.is_key, false) as is_key,
        master.start_date,
        master.end_date,
        master.annual_goal,
        case when master.project_code is null then 'submission' else 'project_master' end as registered_from
    from project_codes
    left join master on project_codes.project_code = master.project_code
    left join latest_submitted on project_codes.project_code = latest_submitted.project_code
)

select * from projects
