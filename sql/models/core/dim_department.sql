-- materialized: incremental
-- unique_key: department_code
-- 主管部门: every department code seen in any submission, under the name of its latest loaded batch.
-- A department seen only by code (indicator tables) is named by its code.
-- 行政区划: the 区划代码 of its latest project-master row that has one, split into 省 / 市 / 县 (GB/T 2260: the first
-- 2 digits + 0000, the first 4 + 00, all 6). A department of a 市 or 省 itself sits in 市本级 / 省本级 at the levels
-- below it, so every department has a 省, 市 and 县 to group by; one without a code is 未划分 (000000) at each level.
-- 增量 (issue 15): a department's row is computed from the staging rows that carry its code alone. Those change only
-- with a changed batch (loaded or withdrawn since the last build, runner_changed_batch): the codes in its own rows,
-- and, for the project forms (项目信息, 监控资金, 自评资金), the codes of the rows of its form for the projects it names in
-- its 年度 — the rows it replaces as the latest of a key (a project moved or renamed its department) — whatever their batch. An
-- incremental build recomputes those departments; a touched department no row carries any more is deleted.
-- The changed batches' projects and departments are changed_entities' rows; the raw tables they come from, named for
-- the change tracker (a changed batch in one of them makes this model dirty): {{ source('raw', 'raw_dept_monitoring_fund') }},
-- {{ source('raw', 'raw_dept_monitoring_indicator') }}, {{ source('raw', 'raw_dept_selfeval_fund') }},
-- {{ source('raw', 'raw_dept_selfeval_indicator') }}; and {{ source('runner', 'runner_changed_batch') }}.
with
{% if is_incremental() %}
touched_projects as (
    select source_name, fiscal_year, entity_code as project_code from {{ ref('changed_entities') }}
    where source_name in ('project', 'monitoring_fund', 'selfeval_fund')
),

-- the rows a changed batch can take a department's sighting from are those it replaces as the current batch of a key, so
-- those of its own form, project and 年度 (项目信息 has none: every master row of the project); the other years' rows stay
-- current and their departments as they were (DuckDB: the 年度 filter skips the other years' row groups of the raw tables,
-- where every row's code was trimmed for the join, 0.08 of 0.11 s a pass at province scale, issue 15).
-- Read project by project (`cross join lateral (… offset 0)`): PostgreSQL estimated `trim(project_code) in (…)` at half
-- of each raw table and scanned them whole; per project it is an index scan of raw_*_project (migration 0205)
touched as (
    select trim(project_rows.department_code) as department_code
    from (select distinct project_code from touched_projects where source_name = 'project') as masters cross join lateral (
        select department_code from {{ source('raw', 'raw_project') }} as raw_rows
        where trim(raw_rows.project_code) = masters.project_code {{ evaluated_once() }}
    ) as project_rows
    union
    select trim(fund_rows.department_code)
    from (select distinct project_code, fiscal_year from touched_projects where source_name = 'monitoring_fund') as funds
    cross join lateral (
        select department_code from {{ source('raw', 'raw_monitoring_fund') }} as raw_rows
        where raw_rows.fiscal_year = funds.fiscal_year and trim(raw_rows.project_code) = funds.project_code {{ evaluated_once() }}
    ) as fund_rows
    union
    select trim(selfeval_rows.department_code)
    from (select distinct project_code, fiscal_year from touched_projects where source_name = 'selfeval_fund') as selfevals
    cross join lateral (
        select department_code from {{ source('raw', 'raw_selfeval_fund') }} as raw_rows
        where raw_rows.fiscal_year = selfevals.fiscal_year and trim(raw_rows.project_code) = selfevals.project_code {{ evaluated_once() }}
    ) as selfeval_rows
    union
    select entity_code from {{ ref('changed_entities') }}
    where source_name in ('dept_monitoring_fund', 'dept_monitoring_indicator', 'dept_selfeval_fund', 'dept_selfeval_indicator')
),
{% endif %}

projects as (
    {% if is_incremental() %}
    -- department by department, by the table's index on department_code (PostgreSQL scanned it whole); the columns read
    -- below only (DuckDB computes the lateral as one join and read all 18 columns of the 200,000 rows for it, issue 15)
    select department_rows.* from (select distinct department_code from touched) as touched_codes cross join lateral (
        select staged.department_code, staged.department_name, staged.batch_id, staged.source_row, staged.region_code,
            staged.province_name, staged.city_name, staged.county_name
        from {{ ref('stg_project') }} as staged
        where staged.department_code = touched_codes.department_code {{ evaluated_once() }}
    ) as department_rows
    {% else %}
    select * from {{ ref('stg_project') }}
    {% endif %}
),

monitoring_funds as (
    {% if is_incremental() %}
    -- department by department, by the index on the raw table's department code (migration 0245): PostgreSQL computed
    -- the whole view (434k rows joined to their current batch, 0.8 s at province scale) before filtering it. The raw rows
    -- first, then their current batch (stg_current_batch, on the columns stg_monitoring_fund joins): DuckDB computes the
    -- lateral as one join, and over the view it trimmed every column of every raw row and joined each with its current key before
    -- the department filter (province: 434,261 rows joined for 2,106 kept, 0.3 s of an incremental pass, issue 15)
    select department_rows.department_code, department_rows.department_name, department_rows.batch_id,
        department_rows.source_row
    from (select distinct department_code from touched) as touched_codes cross join lateral (
        select raw_rows.batch_id, raw_rows.source_row, raw_rows.fiscal_year, raw_rows.period, raw_rows.project_code,
            nullif(trim(raw_rows.department_code), '') as department_code,
            nullif(trim(raw_rows.department_name), '') as department_name
        from {{ source('raw', 'raw_monitoring_fund') }} as raw_rows
        where nullif(trim(raw_rows.department_code), '') = touched_codes.department_code {{ evaluated_once() }}
    ) as department_rows
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'monitoring_fund'
        and current_batch.fiscal_year = department_rows.fiscal_year
        and current_batch.period = {{ period_key('department_rows.period') }}
        and current_batch.entity_code = trim(department_rows.project_code)
        and current_batch.batch_id = department_rows.batch_id
    {% else %}
    select * from {{ ref('stg_monitoring_fund') }}
    {% endif %}
),

selfeval_funds as (
    {% if is_incremental() %}
    -- as monitoring_funds: the raw rows department by department (migration 0245's index on PostgreSQL), then their
    -- current batch (stg_current_batch, on the columns stg_selfeval_fund joins)
    select department_rows.department_code, department_rows.department_name, department_rows.batch_id,
        department_rows.source_row
    from (select distinct department_code from touched) as touched_codes cross join lateral (
        select raw_rows.batch_id, raw_rows.source_row, raw_rows.fiscal_year, raw_rows.project_code,
            nullif(trim(raw_rows.department_code), '') as department_code,
            nullif(trim(raw_rows.department_name), '') as department_name
        from {{ source('raw', 'raw_selfeval_fund') }} as raw_rows
        where nullif(trim(raw_rows.department_code), '') = touched_codes.department_code {{ evaluated_once() }}
    ) as department_rows
    inner join {{ ref('stg_current_batch') }} as current_batch
        on current_batch.source_name = 'selfeval_fund'
        and current_batch.fiscal_year = department_rows.fiscal_year
        and current_batch.entity_code = trim(department_rows.project_code)
        and current_batch.batch_id = department_rows.batch_id
    {% else %}
    select * from {{ ref('stg_selfeval_fund') }}
    {% endif %}
),

dept_monitoring_funds as (
    select * from {{ ref('stg_dept_monitoring_fund') }}
    {% if is_incremental() %}where department_code in (select department_code from touched){% endif %}
),

dept_monitoring_indicators as (
    {% if is_incremental() %}
    -- department by department, by the table's index on department_code (PostgreSQL scanned it whole)
    select department_rows.* from (select distinct department_code from touched) as touched_codes cross join lateral (
        select staged.department_code, staged.batch_id, staged.source_row from {{ ref('stg_dept_monitoring_indicator') }} as staged
        where staged.department_code = touched_codes.department_code {{ evaluated_once() }}
    ) as department_rows
    {% else %}
    select * from {{ ref('stg_dept_monitoring_indicator') }}
    {% endif %}
),

dept_selfeval_funds as (
    select * from {{ ref('stg_dept_selfeval_fund') }}
    {% if is_incremental() %}where department_code in (select department_code from touched){% endif %}
),

dept_selfeval_indicators as (
    select * from {{ ref('stg_dept_selfeval_indicator') }}
    {% if is_incremental() %}where department_code in (select department_code from touched){% endif %}
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

named as (
    select
        department_code,
        coalesce(department_name, department_code) as department_name
    from ranked
    where name_rank = 1
),

region_sightings as (
    select
        department_code,
        region_code,
        province_name,
        city_name,
        county_name,
        row_number() over (partition by department_code order by batch_id desc, source_row desc) as region_rank
    from projects
    where region_code is not null
),

regions as (
    select
        department_code,
        region_code,
        substr(region_code, 1, 2) || '0000' as province_code,
        case when substr(region_code, 3, 2) <> '00' then substr(region_code, 1, 4) || '00' end as city_code,
        case when substr(region_code, 5, 2) <> '00' then region_code end as county_code,
        province_name,
        city_name,
        county_name
    from region_sightings
    where region_rank = 1
),

departments as (
    select
        named.department_code,
        named.department_name,
        regions.region_code,
        case
            when regions.county_code is not null then '县'
            when regions.city_code is not null then '市'
            when regions.region_code is not null then '省'
            else '未划分'
        end as region_level,
        coalesce(regions.province_code, '000000') as province_code,
        coalesce(regions.province_name, regions.province_code, '未划分') as province_name,
        coalesce(regions.city_code, regions.province_code, '000000') as city_code,
        case
            when regions.city_code is not null then coalesce(regions.city_name, regions.city_code)
            when regions.region_code is not null then '省本级'
            else '未划分'
        end as city_name,
        coalesce(regions.county_code, regions.city_code, regions.province_code, '000000') as county_code,
        case
            when regions.county_code is not null then coalesce(regions.county_name, regions.county_code)
            when regions.city_code is not null then '市本级'
            when regions.region_code is not null then '省本级'
            else '未划分'
        end as county_name
    from named
    left join regions on named.department_code = regions.department_code
)

{% if is_incremental() %}
-- only the rows that differ from the table's (a touched department whose row came out as it was is left alone, so
-- models refreshed in full when dim_department changes — mart_execution_forecast's names — stay incremental);
-- a touched department no row carries any more (its only batch withdrawn): its row is deleted
, changed_departments as (
    select * from departments
    except
    select * from {{ this }}
)

select changed_departments.*, false as incremental_delete_only from changed_departments
union all
select touched.department_code, null, null, null, null, null, null, null, null, null, true
from touched
where touched.department_code is not null
    and not exists (select 1 from departments where departments.department_code = touched.department_code)
{% else %}
select * from departments
{% endif %}
