-- materialized: incremental
-- unique_key: project_code
-- indexes: project_code; department_code
-- 项目信息: one row per project, the latest loaded submission of it (with its department's 区划代码 and the
-- names of its 省 / 市 / 县, migration 0050).
-- 增量 (issue 15): a project's row is chosen from its own raw rows alone, so an incremental build chooses again only
-- for the projects a changed batch (loaded or withdrawn since the last build, runner_changed_batch) names, filtered
-- before the window below: as a view, dim_project's and dim_department's reads ranked all 200,000 projects of a
-- province each pass (the filter on the view's output cannot pass the window). A touched project no loaded batch
-- names any more is deleted. The projects the changed batches' 项目信息 rows name are changed_entities' (the runner's
-- list of changed batches, {{ source('runner', 'runner_changed_batch') }}, read there once for every model).
{% if is_incremental() %}
with touched as (
    select distinct entity_code as project_code
    from {{ ref('changed_entities') }}
    where source_name = 'project'
),

source as (
    select * from {{ source('raw', 'raw_project') }}
    where trim(project_code) in (select project_code from touched)
),
{% else %}
with source as (
    select * from {{ source('raw', 'raw_project') }}
),
{% endif %}

loaded_batches as (
    select batch_id from {{ source('raw', 'etl_batch') }} where status = 'loaded'
),

renamed as (
    select
        source.batch_id,
        source.source_row,
        trim(source.project_code) as project_code,
        trim(source.project_name) as project_name,
        trim(source.department_code) as department_code,
        trim(source.department_name) as department_name,
        nullif(trim(source.implementing_unit), '') as implementing_unit,
        nullif(trim(source.project_type), '') as project_type,
        nullif(trim(source.project_level), '') as project_level,
        nullif(trim(source.fund_nature), '') as fund_nature,
        nullif(trim(source.start_date), '') as start_date,
        nullif(trim(source.end_date), '') as end_date,
        case
            when upper(trim(source.is_key)) in ('是', 'Y', 'YES', 'TRUE', '1', '√', '✓') then true
            when upper(trim(source.is_key)) in ('否', 'N', 'NO', 'FALSE', '0', '×') then false
        end as is_key,
        nullif(trim(source.annual_goal), '') as annual_goal,
        nullif(trim(source.region_code), '') as region_code,
        nullif(trim(source.province_name), '') as province_name,
        nullif(trim(source.city_name), '') as city_name,
        nullif(trim(source.county_name), '') as county_name
    from source
    inner join loaded_batches on source.batch_id = loaded_batches.batch_id
),

ranked as (
    select
        renamed.*,
        row_number() over (
            partition by project_code
            order by batch_id desc, source_row desc
        ) as submission_rank
    from renamed
),

latest as (
    select
        batch_id,
        source_row,
        project_code,
        project_name,
        department_code,
        department_name,
        implementing_unit,
        project_type,
        project_level,
        fund_nature,
        start_date,
        end_date,
        is_key,
        annual_goal,
        region_code,
        province_name,
        city_name,
        county_name
    from ranked
    where submission_rank = 1
)

{% if is_incremental() %}
select latest.*, false as incremental_delete_only from latest
union all
select cast(null as bigint), cast(null as integer), touched.project_code, null, null, null, null, null, null, null,
    null, null, cast(null as boolean), null, null, null, null, null, true
from touched
where not exists (select 1 from latest where latest.project_code = touched.project_code)
{% else %}
select * from latest
{% endif %}
