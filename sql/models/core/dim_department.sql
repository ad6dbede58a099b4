-- materialized: table
-- 主管部门: every department code seen in any submission, under the name of its latest loaded batch.
-- A department seen only by code (indicator tables) is named by its code.
-- 行政区划: the 区划代码 of its latest project-master row that has one, split into 省 / 市 / 县 (GB/T 2260: the first
-- 2 digits + 0000, the first 4 + 00, all 6). A department of a 市 or 省 itself sits in 市本级 / 省本级 at the levels
-- below it, so every department has a 省, 市 and 县 to group by; one without a code is 未划分 (000000) at each level.
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

select * from departments
